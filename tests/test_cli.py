from guanjia.cli import translate


def test_nested_import_maps_to_the_django_command():
    assert translate(["import", "residents", "a.xlsx", "--dry-run"]) == [
        "import_residents",
        "a.xlsx",
        "--dry-run",
    ]


def test_hyphenated_commands_map_to_underscored_ones():
    assert translate(["load-demo"]) == ["load_demo"]
    assert translate(["migrate", "--noinput"]) == ["migrate", "--noinput"]
