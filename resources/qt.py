"""Qt-side resources: the icon registry, Qt's own zh_CN translations, the CJK font."""
from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from resources import resource_path

# name -> a standard style icon used when resources/icons/<name>.svg is absent
_STANDARD = {
    "students": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "new": QStyle.StandardPixmap.SP_FileIcon,
    "edit": QStyle.StandardPixmap.SP_FileDialogContentsView,
    "delete": QStyle.StandardPixmap.SP_TrashIcon,
    "household": QStyle.StandardPixmap.SP_DirHomeIcon,
    "columns": QStyle.StandardPixmap.SP_FileDialogListView,
    "app": QStyle.StandardPixmap.SP_ComputerIcon,
}
_cache: dict[str, QIcon] = {}

# Preferred UI fonts, first found wins: Windows first, then what Linux distributions ship.
CJK_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Noto Sans CJK SC", "Source Han Sans SC", "Droid Sans Fallback", "SimSun")


def icon(name: str) -> QIcon:
    if name not in _cache:
        svg = resource_path("icons", f"{name}.svg")
        if svg.exists():
            _cache[name] = QIcon(str(svg))
        else:
            _cache[name] = QApplication.style().standardIcon(_STANDARD.get(name, QStyle.StandardPixmap.SP_FileIcon))
    return _cache[name]


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own zh_CN strings (确定/取消 …) and the zh_CN locale for dates and numbers."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    loaded = []
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        tr = QTranslator(app)
        if tr.load(name, folder) or tr.load(name, str(resource_path("translations"))):
            app.installTranslator(tr)
            loaded.append(tr)
            break          # qt_zh_CN includes qtbase; one is enough
    return loaded


def pick_cjk_font(point_size: float = 10.0) -> QFont | None:
    families = set(QFontDatabase.families())
    for fam in CJK_FONTS:
        if fam in families:
            font = QFont(fam)
            font.setPointSizeF(point_size)
            return font
    return None


def apply_font(app: QApplication) -> str:
    size = 10.0 if sys.platform == "win32" else 10.5
    font = pick_cjk_font(size)
    if font is not None:
        app.setFont(font)
        return font.family()
    return app.font().family()
