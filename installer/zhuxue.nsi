; 助学台账 installer (NSIS 3, Unicode). Wraps the one-folder build dist\ZhuxueLedger into one .exe.
;
;   makensis -INPUTCHARSET UTF8 -WX -DVERSION=0.1.0 -DPAYLOAD=dist\ZhuxueLedger installer\zhuxue.nsi
;
; - No administrator rights needed: installs for the current user into %LOCALAPPDATA%\Programs.
;   Started with "以管理员身份运行", it installs for all users into Program Files.
; - The data (%LOCALAPPDATA%\ZhuxueLedger: the ledger database and its backups) is never written or
;   deleted by the installer or the uninstaller; an upgrade replaces only the program files, and
;   the app migrates the database (after a verified backup) at its first start.
; - Refuses Windows 7/8 and 32-bit Windows (Qt 6 needs 64-bit Windows 10 1809 or later). The
;   installer itself is a 32-bit program so that it can say so on a 32-bit system.
; - Silent: setup.exe /S [/D=folder]; uninstall.exe /S. A failed start of the installed program
;   sets the exit code to 3.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!ifndef VERSION
  !error "pass -DVERSION=x.y.z (the version in pyproject.toml)"
!endif
!ifndef PAYLOAD
  !error "pass -DPAYLOAD=folder (the one-folder build, dist\ZhuxueLedger)"
!endif
!ifndef OUTFILE
  !define OUTFILE "ZhuxueLedger-${VERSION}-setup.exe"
!endif

!define APP "助学台账"
!define PUBLISHER "助学台账项目组"
!define FOLDER "ZhuxueLedger"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${FOLDER}"
!define MIN_BUILD 17763        ; Windows 10 version 1809

!include MUI2.nsh
!include LogicLib.nsh
!include WinVer.nsh
!include x64.nsh
!include FileFunc.nsh

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
BrandingText "${APP} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

Var AllUsers        ; 1: per-machine (Program Files, HKLM), 0: per-user (LOCALAPPDATA, HKCU)
Var DataDir         ; where this user's ledger lives; never touched here

; ---- pages (in Simplified Chinese) -------------------------------------------------------------
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "安装${APP} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "${APP}是学校资助工作的台账软件，数据只保存在这台电脑上。$\r$\n$\r$\n\
  不需要管理员权限：默认只为当前用户安装。若以管理员身份运行，则为这台电脑的所有用户安装。$\r$\n$\r$\n\
  升级时请直接运行新版安装程序，已有的台账数据会保留，首次启动时自动备份并升级。$\r$\n$\r$\n\
  点击“下一步”继续。"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\zhuxue.exe"
!define MUI_FINISHPAGE_RUN_TEXT "现在启动${APP}"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "${APP}已卸载"
!define MUI_FINISHPAGE_TEXT "程序已从这台电脑上删除。$\r$\n$\r$\n\
  台账数据没有删除，仍保存在：$\r$\n$DataDir$\r$\n$\r$\n\
  重新安装后会继续使用这些数据。如确实不再需要，请先把该文件夹复制到U盘备份，再手动删除。"
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "SimpChinese"

; ---- file properties ---------------------------------------------------------------------------
VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APP}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APP} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "${PUBLISHER}"

; ---- checks ------------------------------------------------------------------------------------
!macro REFUSE_OLD_WINDOWS
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastBuild} ${MIN_BUILD}
    MessageBox MB_ICONSTOP "${APP}需要 64 位的 Windows 10（1809 版或更新）或 Windows 11。$\r$\n$\r$\n\
      这台电脑的系统是 Windows 7、Windows 8 或 32 位系统，无法安装。$\r$\n\
      请换一台电脑，或请信息技术老师升级系统。" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
!macroend

!macro WAIT_UNTIL_CLOSED un
  ; a running program's files cannot be opened for writing: ask to close it, then retry
  Function ${un}WaitUntilClosed
    retry:
    StrCpy $1 "$INSTDIR\zhuxue.exe"
    Call ${un}IsLocked
    StrCmp $0 1 busy
    StrCpy $1 "$INSTDIR\zhuxue-cli.exe"
    Call ${un}IsLocked
    StrCmp $0 1 busy done
    busy:
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP}正在运行。请先关闭它（保存好正在填写的内容），再点“重试”。" \
      /SD IDCANCEL IDRETRY retry
    SetErrorLevel 4
    Quit
    done:
  FunctionEnd

  Function ${un}IsLocked                      ; $1: a file; $0: 1 when it exists and is in use
    StrCpy $0 0
    IfFileExists $1 0 free
    ClearErrors
    FileOpen $2 $1 a
    IfErrors 0 +3
    StrCpy $0 1
    Goto free
    FileClose $2
    free:
  FunctionEnd
!macroend
!insertmacro WAIT_UNTIL_CLOSED ""
!insertmacro WAIT_UNTIL_CLOSED "un."

Function .onInit
  !insertmacro REFUSE_OLD_WINDOWS
  SetRegView 64
  ExpandEnvStrings $DataDir "%LOCALAPPDATA%\${FOLDER}"
  UserInfo::GetAccountType
  Pop $0
  ReadRegStr $1 HKCU "${UNINST_KEY}" "InstallLocation"
  ${If} $0 == "Admin"
  ${AndIf} $1 == ""                            ; an earlier per-user install is upgraded in place
    StrCpy $AllUsers 1
    SetShellVarContext all
  ${Else}
    StrCpy $AllUsers 0
    SetShellVarContext current
  ${EndIf}
  ReadRegStr $1 SHCTX "${UNINST_KEY}" "InstallLocation"
  ${If} $INSTDIR == ""                         ; not given with /D=
    ${If} $1 != ""
      StrCpy $INSTDIR $1                       ; an upgrade goes where the earlier version is
    ${ElseIf} $AllUsers == 1
      StrCpy $INSTDIR "$PROGRAMFILES64\${FOLDER}"
    ${Else}
      StrCpy $INSTDIR "$LOCALAPPDATA\Programs\${FOLDER}"
    ${EndIf}
  ${EndIf}
FunctionEnd

Function .onVerifyInstDir
  ${If} $INSTDIR == $DataDir                   ; program and data never share a folder
    Abort
  ${EndIf}
FunctionEnd

; ---- install -----------------------------------------------------------------------------------
Section "${APP}" SecMain
  SectionIn RO
  Call WaitUntilClosed
  SetOutPath "$INSTDIR"
  RMDir /r "$INSTDIR\_internal"                ; the previous version's runtime; never the data
  File /r "${PAYLOAD}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\zhuxue.exe" "" "$INSTDIR\zhuxue.exe" 0 \
    SW_SHOWNORMAL "" "学校资助工作台账"
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\zhuxue.exe" "" "$INSTDIR\zhuxue.exe" 0 \
    SW_SHOWNORMAL "" "学校资助工作台账"
  CreateShortcut "$SMPROGRAMS\${APP} 命令行.lnk" "$SYSDIR\cmd.exe" \
    '/k cd /d "$INSTDIR" && zhuxue-cli.exe --help' "$INSTDIR\zhuxue-cli.exe" 0 SW_SHOWNORMAL "" \
    "助学台账的命令行（zhuxue-cli），供信息技术人员使用"

  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\zhuxue.exe"
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINST_KEY}" "EstimatedSize" $0

  ; prove the installed program starts (offscreen, on a scratch database in the installer's temp folder)
  DetailPrint "正在检查程序能否启动……"
  InitPluginsDir
  System::Call 'kernel32::SetEnvironmentVariable(t "QT_QPA_PLATFORM", t "offscreen")'
  nsExec::ExecToLog '"$INSTDIR\zhuxue-cli.exe" --smoke-test --db "$PLUGINSDIR\smoke.sqlite3"'
  Pop $0
  System::Call 'kernel32::SetEnvironmentVariable(t "QT_QPA_PLATFORM", p 0)'
  ${If} $0 != 0
    MessageBox MB_ICONEXCLAMATION "程序已安装，但试启动没有成功（代码 $0）。$\r$\n\
      请把这个情况告诉维护人员；台账数据没有受到影响。" /SD IDOK
    SetErrorLevel 3
  ${EndIf}
SectionEnd

; ---- uninstall ---------------------------------------------------------------------------------
Function un.onInit
  SetRegView 64
  ExpandEnvStrings $DataDir "%LOCALAPPDATA%\${FOLDER}"
  ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 == $INSTDIR
    UserInfo::GetAccountType
    Pop $1
    ${If} $1 != "Admin"
      MessageBox MB_ICONSTOP "${APP}是为所有用户安装的，请以管理员身份运行卸载程序。" /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Call un.WaitUntilClosed
  ; only what the installer put there: a folder chosen by hand may hold other files
  Delete "$INSTDIR\zhuxue.exe"
  Delete "$INSTDIR\zhuxue-cli.exe"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$SMPROGRAMS\${APP} 命令行.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  DeleteRegKey SHCTX "${UNINST_KEY}"
  DetailPrint "台账数据没有删除，仍在 $DataDir"
SectionEnd
