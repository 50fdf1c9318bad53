"""Pictures in Moodle XML: ``<file encoding="base64">`` beside a text that shows it as ``@@PLUGINFILE@@/name``,
and Moodle 1.9's ``<image>``/``<image_base64>`` (a picture for the stem).

Read: the stem's and each choice's pictures are checked and kept; pictures in feedback, which the bank keeps as
text, are named in a warning; sound, video and pictures the file only links to are refused by name.
Written: each picture goes back as a ``<file>`` with an ``<img src="@@PLUGINFILE@@/…">`` in its text.
"""

import base64
import html
import re
import xml.etree.ElementTree as ET  # nosec B405: only builds the export; imports parse with defusedxml
from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import unquote

from learning.exams.interchange.common import (
    MEDIA_SOURCE,
    MEDIA_TAG,
    ParseResult,
    Unsupported,
    media_in,
    media_kind,
    media_refusal,
)
from learning.exams.pictures import PictureData, PictureError, picture_decode

ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
PLUGINFILE = "@@PLUGINFILE@@/"
# Where else Moodle keeps texts with files: the bank keeps these as text only.
ELSEWHERE = {"generalfeedback": "解析", "graderinfo": "评分要点", "responsetemplate": "作答模板", "hint": "提示"}


@dataclass
class QuestionMedia:
    pictures: list[PictureData] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # bad picture data: the import stops
    refusal: str = ""  # sound, video or pictures not in the file: the question is unsupported
    warnings: list[str] = field(default_factory=list)


def _shown(text: str) -> dict[str, str]:
    """``{file name: alt text}`` for each ``@@PLUGINFILE@@`` picture the HTML shows."""
    shown = {}
    for match in MEDIA_TAG.finditer(text or ""):
        source = MEDIA_SOURCE.search(match.group(0))
        value = html.unescape(next(filter(None, source.groups()))) if source else ""
        if value.startswith(PLUGINFILE):
            alt = ALT.search(match.group(0))
            text = next(filter(None, alt.groups()), "") if alt else ""
            shown[unquote(value.removeprefix(PLUGINFILE))] = html.unescape(text)
    return shown


def _read_place(container, option: int | None, media: QuestionMedia, where: str) -> None:
    """The pictures of one text (the stem, or one choice) and the files beside it."""
    text = container.findtext("text") or ""
    shown = _shown(text)
    files = {file.get("name", ""): file for file in container.findall("file")}
    for name in shown:
        if name not in files:
            media.problems.append(f"{where}显示的图片 {name} 不在文件中（缺少对应的 <file>），文件可能不完整")
    for name, file in files.items():
        if media_kind(name) != "图片":
            continue
        try:
            picture = picture_decode(name=name or "（未命名图片）", encoded=file.text or "", option=option)
            picture.alt = shown.get(name, "")
            media.pictures.append(picture)
        except PictureError as exc:
            media.problems.append(f"{where}的{exc}")


def _sound_video_or_linked(element) -> list[str]:
    """Sound and video anywhere in the question, and pictures it shows that are not files in it."""
    names = [file.get("name", "") for file in element.iter("file") if media_kind(file.get("name", "")) != "图片"]
    for text in element.iter("text"):
        shown = _shown(text.text or "")
        found = media_in(text.text or "")
        names += [name for name in found if media_kind(name) != "图片" or unquote(name) not in shown]
    old = (element.findtext("image") or "").strip()
    if old and element.find("image_base64") is None:
        names.append(old)
    return list(dict.fromkeys(names))


def _elsewhere(element, kind: str) -> list[str]:
    """Warnings for pictures in texts the bank keeps as plain text (feedback, hints, a true/false answer)."""
    warnings = []
    places = [(element.find(tag), label) for tag, label in ELSEWHERE.items()]
    for answer in element.findall("answer"):
        places.append((answer.find("feedback"), "答案反馈"))
        if kind != "multichoice":
            places.append((answer, "答案"))
    for place, label in places:
        if place is None:
            continue
        names = [file.get("name", "") for file in place.findall("file") if media_kind(file.get("name", "")) == "图片"]
        if names:
            warnings.append(f"{label}中的图片 {'、'.join(names)} 未导入（题库的{label}只保存文字）")
    return warnings


def read_question_media(element, kind: str) -> QuestionMedia:
    """The pictures of a Moodle question of a supported type, or why it cannot be imported."""
    media = QuestionMedia()
    refused = _sound_video_or_linked(element)
    if refused:
        media.refusal = media_refusal(refused)
        return media
    stem = element.find("questiontext")
    if stem is not None:
        _read_place(stem, None, media, "题干")
    encoded = element.findtext("image_base64")
    if encoded is not None:
        name = PurePath((element.findtext("image") or "").strip()).name or "image_base64"
        try:
            media.pictures.append(picture_decode(name=name, encoded=encoded))
        except PictureError as exc:
            media.problems.append(f"题干的{exc}")
    if kind == "multichoice":
        for index, answer in enumerate(element.findall("answer")):
            _read_place(answer, index, media, f"选项{chr(ord('A') + index) if index < 26 else index + 1}")
    media.warnings = _elsewhere(element, kind)
    return media


def _file_name(picture, used: set[str]) -> str:
    name = PurePath(picture.image.file.name).name
    while name in used:
        name = f"{len(used)}-{name}"
    used.add(name)
    return name


def write_pictures(text_parent, pictures, used: set[str]) -> None:
    """Add each picture to a Moodle text element: an ``<img>`` at the end of its HTML and the ``<file>`` beside it."""
    text = text_parent.find("text")
    for picture in pictures:
        name = _file_name(picture, used)
        alt = html.escape(picture.alt or picture.image.title, quote=True)
        text.text = (text.text or "") + f'<p><img src="{PLUGINFILE}{html.escape(name, quote=True)}" alt="{alt}"></p>'
        with picture.image.open_file() as stored:
            encoded = base64.b64encode(stored.read()).decode("ascii")
        ET.SubElement(text_parent, "file", {"name": name, "path": "/", "encoding": "base64"}).text = encoded


def media_accepted(result: ParseResult, media, number: int, name: str) -> bool:
    """False, with the question listed as unsupported or its problems reported, when its media cannot be kept."""
    if media.refusal:
        result.unsupported.append(Unsupported(number, name, media.refusal))
    for problem in media.problems:
        result.problem(number, problem)
    return not media.refusal and not media.problems
