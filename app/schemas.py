"""Pydantic types shared by every domain: bounded, normalised strings and pages."""

from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.text.intake import normalize_line
from app.text.languages import language_tag


def _line(field: str, max_chars: int):
    # The core's refusal (TextRejected) is a ValueError: Pydantic reports it as a 422.
    return AfterValidator(lambda value: normalize_line(value, field=field, max_chars=max_chars))


Name = Annotated[str, Field(max_length=800), _line("name", 200)]
Title = Annotated[str, Field(max_length=800), _line("title", 200)]
Note = Annotated[str, Field(max_length=8000), _line("note", 2000)]
# A BCP 47 tag in its conventional case (zh-Hans-CN); anything else is a 422.
Language = Annotated[str, Field(max_length=64), AfterValidator(language_tag)]


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def page_params(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, 500)), max(0, offset)
