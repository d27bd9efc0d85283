from django.contrib.staticfiles import finders


def test_the_stylesheet_and_scripts_are_found_where_pages_load_them() -> None:
    for path in ("polku/polku.css", "polku/upload-progress.js", "htmx/htmx.min.js"):
        assert finders.find(path), path
