"""The API schema the SPA's client is generated from."""

from app.main import create_app
from tests.conftest import make_settings


def test_every_model_has_its_own_name(tmp_path):
    # Two models of one name make FastAPI rename both (app__auth__schemas__…), which breaks
    # the SPA's types that name the first.
    schemas = create_app(make_settings(tmp_path)).openapi()["components"]["schemas"]
    assert [name for name in schemas if name.startswith("app__")] == []
