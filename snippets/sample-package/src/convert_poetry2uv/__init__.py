"""The import package is `convert_poetry2uv`; the distribution is `convert-poetry2uv`."""


def main() -> None:
    print("convert-poetry2uv 0.1.0")
