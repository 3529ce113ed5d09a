"""The font families installed on the machine that can print Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

_ROOT = Path("/usr/share/fonts/truetype")

# The Debian package that provides each family's four faces (scripts/setup.sh installs them all).
_PACKAGES: dict[str, str] = {
    "liberation-serif": "fonts-liberation2",
    "liberation-sans": "fonts-liberation2",
    "dejavu-serif": "fonts-dejavu-core and fonts-dejavu-extra",
    "dejavu-sans": "fonts-dejavu-core and fonts-dejavu-extra",
    "dejavu-serif-condensed": "fonts-dejavu-extra",
    "noto-serif": "fonts-noto-core",
    "noto-sans": "fonts-noto-core",
}

# name -> (regular, bold, italic, bold italic), relative to _ROOT
_FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "liberation-serif": (
        "liberation2/LiberationSerif-Regular.ttf",
        "liberation2/LiberationSerif-Bold.ttf",
        "liberation2/LiberationSerif-Italic.ttf",
        "liberation2/LiberationSerif-BoldItalic.ttf",
    ),
    "liberation-sans": (
        "liberation2/LiberationSans-Regular.ttf",
        "liberation2/LiberationSans-Bold.ttf",
        "liberation2/LiberationSans-Italic.ttf",
        "liberation2/LiberationSans-BoldItalic.ttf",
    ),
    "dejavu-serif": (
        "dejavu/DejaVuSerif.ttf",
        "dejavu/DejaVuSerif-Bold.ttf",
        "dejavu/DejaVuSerif-Italic.ttf",
        "dejavu/DejaVuSerif-BoldItalic.ttf",
    ),
    "dejavu-sans": (
        "dejavu/DejaVuSans.ttf",
        "dejavu/DejaVuSans-Bold.ttf",
        "dejavu/DejaVuSans-Oblique.ttf",
        "dejavu/DejaVuSans-BoldOblique.ttf",
    ),
    "dejavu-serif-condensed": (
        "dejavu/DejaVuSerifCondensed.ttf",
        "dejavu/DejaVuSerifCondensed-Bold.ttf",
        "dejavu/DejaVuSerifCondensed-Italic.ttf",
        "dejavu/DejaVuSerifCondensed-BoldItalic.ttf",
    ),
    "noto-serif": (
        "noto/NotoSerif-Regular.ttf",
        "noto/NotoSerif-Bold.ttf",
        "noto/NotoSerif-Italic.ttf",
        "noto/NotoSerif-BoldItalic.ttf",
    ),
    "noto-sans": (
        "noto/NotoSans-Regular.ttf",
        "noto/NotoSans-Bold.ttf",
        "noto/NotoSans-Italic.ttf",
        "noto/NotoSans-BoldItalic.ttf",
    ),
}

STYLES = ("regular", "bold", "italic", "bolditalic")


@dataclass(frozen=True)
class FontFamily:
    """The four faces of one family."""

    name: str
    regular: str
    bold: str
    italic: str
    bolditalic: str

    def path(self, style: str) -> str:
        if style not in STYLES:
            raise ValueError(f"unknown font style {style!r}")
        return str(getattr(self, style))


class MissingFontError(RuntimeError):
    """A font face the generator may pick is not installed; the message names the Debian package."""


def missing_faces(root: Path = _ROOT) -> dict[str, list[str]]:
    """Debian package -> the faces it provides that are missing under ``root``."""
    missing: dict[str, list[str]] = {}
    for name, faces in _FAMILIES.items():
        for face in faces:
            if not (root / face).is_file():
                missing.setdefault(_PACKAGES[name], []).append(str(root / face))
    return missing


def check_installed(root: Path = _ROOT) -> None:
    """Raise MissingFontError naming the package of every face the generator may pick and cannot find."""
    missing = missing_faces(root)
    if missing:
        lines = [f"  {pkg}: {', '.join(sorted(faces))}" for pkg, faces in sorted(missing.items())]
        raise MissingFontError(
            "the page generator needs font faces that are not installed; install the Debian packages "
            "(bash scripts/setup.sh does):\n" + "\n".join(lines)
        )


def _installed(root: Path = _ROOT) -> dict[str, FontFamily]:
    check_installed(root)
    return {name: FontFamily(name, *(str(root / f) for f in faces)) for name, faces in _FAMILIES.items()}


_INSTALLED = _installed()

FONTS: dict[str, tuple[str, str]] = {n: (f.regular, f.bold) for n, f in _INSTALLED.items()}
"""Available families: name -> (regular path, bold path)."""

SERIF_FONTS = tuple(n for n in FONTS if "serif" in n)
SANS_FONTS = tuple(n for n in FONTS if "serif" not in n)


def family(name: str) -> FontFamily:
    """The family called ``name`` (a key of FONTS)."""
    try:
        return _INSTALLED[name]
    except KeyError:
        raise ValueError(f"font {name!r} is not installed; choose one of {sorted(FONTS)}") from None


@lru_cache(maxsize=512)
def truetype(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    """A cached FreeType font (loading the file is the slow part)."""
    return ImageFont.truetype(path, max(1, size_px))
