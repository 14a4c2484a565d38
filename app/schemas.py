"""Pydantic types shared by every domain: bounded, normalised strings and pages."""

from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.text.intake import TextRejected, normalize_line


def _line(field: str, max_chars: int):
    def check(value: str) -> str:
        try:
            return normalize_line(value, field=field, max_chars=max_chars)
        except TextRejected as exc:
            raise ValueError(str(exc)) from None

    return AfterValidator(check)


Name = Annotated[str, Field(max_length=800), _line("name", 200)]
Title = Annotated[str, Field(max_length=800), _line("title", 200)]
Note = Annotated[str, Field(max_length=8000), _line("note", 2000)]


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
