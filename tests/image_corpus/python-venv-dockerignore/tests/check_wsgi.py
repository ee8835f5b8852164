from atlas.wsgi import app


def check_app() -> None:
    assert app.name == "atlas.wsgi"
