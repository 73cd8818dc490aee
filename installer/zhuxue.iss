; Inno Setup script: wraps dist\ZhuxueLedger (from zhuxue.spec) into a per-user installer.
; Qt 6 needs 64-bit Windows 10 1809 (build 17763) or later: older systems are refused with a message.
#define AppVersion "0.1.0"

[Setup]
AppId={{6C1E8C0B-7B4A-4F61-9A3E-2D6B3B1F2020}
AppName=助学台账
AppVersion={#AppVersion}
AppPublisher=助学台账
DefaultDirName={localappdata}\Programs\ZhuxueLedger
DefaultGroupName=助学台账
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputBaseFilename=ZhuxueLedger-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
; The database lives in %LOCALAPPDATA%\ZhuxueLedger and is never removed by uninstalling.

[Languages]
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Files]
Source: "..\dist\ZhuxueLedger\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\助学台账"; Filename: "{app}\ZhuxueLedger.exe"
Name: "{userdesktop}\助学台账"; Filename: "{app}\ZhuxueLedger.exe"

[Run]
; prove the installed build starts before offering to launch it
Filename: "{app}\ZhuxueLedger.exe"; Parameters: "--smoke-test --db ""{tmp}\smoke.sqlite3"""; Flags: runhidden waituntilterminated; StatusMsg: "正在检查程序能否启动…"
Filename: "{app}\ZhuxueLedger.exe"; Description: "启动助学台账"; Flags: postinstall nowait skipifsilent
