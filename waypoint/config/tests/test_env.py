"""Settings read from the environment: good values accepted, bad ones refused with a clear message."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from waypoint.config.env import env_bool, env_database, env_int, env_list, env_str

VAR = "WAYPOINT_TEST_SETTING"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)


class TestEnvStr:
    def test_reads_the_variable(self, monkeypatch):
        monkeypatch.setenv(VAR, "some value")
        assert env_str(VAR) == "some value"
        assert env_str(VAR, "ignored default") == "some value"

    def test_uses_the_default_when_unset(self):
        assert env_str(VAR, "fallback") == "fallback"

    def test_refuses_a_missing_required_variable(self):
        with pytest.raises(ImproperlyConfigured, match=f"^{VAR} must be set in the environment"):
            env_str(VAR)


class TestEnvBool:
    @pytest.mark.parametrize("raw", ["1", "true", "TRUE", "Yes", "on", " true "])
    def test_true_values(self, monkeypatch, raw):
        monkeypatch.setenv(VAR, raw)
        assert env_bool(VAR, False) is True

    @pytest.mark.parametrize("raw", ["0", "false", "False", "NO", "off", "", "  "])
    def test_false_values(self, monkeypatch, raw):
        monkeypatch.setenv(VAR, raw)
        assert env_bool(VAR, True) is False

    @pytest.mark.parametrize("default", [True, False])
    def test_default_when_unset(self, default):
        assert env_bool(VAR, default) is default

    @pytest.mark.parametrize("raw", ["maybe", "2", "tru", "y", "enabled"])
    def test_refuses_anything_else(self, monkeypatch, raw):
        monkeypatch.setenv(VAR, raw)
        with pytest.raises(ImproperlyConfigured) as excinfo:
            env_bool(VAR, False)
        message = str(excinfo.value)
        assert message.startswith(VAR)
        assert "true or false" in message
        assert repr(raw) in message


class TestEnvInt:
    @pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("30", 30), (" 45 ", 45), ("1440", 1440)])
    def test_whole_numbers(self, monkeypatch, raw, expected):
        monkeypatch.setenv(VAR, raw)
        assert env_int(VAR, 5, maximum=1440) == expected

    def test_default_when_unset(self):
        assert env_int(VAR, 30) == 30

    @pytest.mark.parametrize("raw", ["", "thirty", "1.5", "30m", "0x10"])
    def test_refuses_non_numbers(self, monkeypatch, raw):
        monkeypatch.setenv(VAR, raw)
        with pytest.raises(ImproperlyConfigured) as excinfo:
            env_int(VAR, 30)
        message = str(excinfo.value)
        assert message.startswith(VAR)
        assert "whole number" in message
        assert repr(raw) in message

    @pytest.mark.parametrize("raw", ["0", "-5"])
    def test_refuses_below_the_minimum(self, monkeypatch, raw):
        monkeypatch.setenv(VAR, raw)
        with pytest.raises(ImproperlyConfigured, match=f"^{VAR} must be at least 1 \\(got {raw}\\)"):
            env_int(VAR, 30)

    def test_custom_minimum(self, monkeypatch):
        monkeypatch.setenv(VAR, "0")
        assert env_int(VAR, 30, minimum=0) == 0
        monkeypatch.setenv(VAR, "4")
        with pytest.raises(ImproperlyConfigured, match="at least 5"):
            env_int(VAR, 30, minimum=5)

    def test_refuses_above_the_maximum(self, monkeypatch):
        monkeypatch.setenv(VAR, "1441")
        with pytest.raises(ImproperlyConfigured) as excinfo:
            env_int(VAR, 30, maximum=1440)
        message = str(excinfo.value)
        assert message.startswith(VAR)
        assert "at least 1 and at most 1440" in message
        assert "1441" in message

    def test_no_maximum_unless_given(self, monkeypatch):
        monkeypatch.setenv(VAR, "10000000")
        assert env_int(VAR, 30) == 10_000_000


class TestEnvList:
    def test_comma_separated_items_trimmed(self, monkeypatch):
        monkeypatch.setenv(VAR, " waypoint.example.nhs.uk, localhost ,127.0.0.1")
        assert env_list(VAR, []) == ["waypoint.example.nhs.uk", "localhost", "127.0.0.1"]

    def test_empty_items_dropped(self, monkeypatch):
        monkeypatch.setenv(VAR, "a,, ,b,")
        assert env_list(VAR, ["x"]) == ["a", "b"]

    def test_single_item(self, monkeypatch):
        monkeypatch.setenv(VAR, "localhost")
        assert env_list(VAR, []) == ["localhost"]

    def test_default_when_unset(self):
        default = ["127.0.0.1", "localhost"]
        assert env_list(VAR, default) == default

    def test_set_but_empty_gives_an_empty_list(self, monkeypatch):
        monkeypatch.setenv(VAR, "")
        assert env_list(VAR, ["x"]) == []


SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; PRAGMA synchronous=NORMAL;"


class TestEnvDatabase:
    def test_defaults_to_sqlite_with_wal_busy_timeout_and_immediate(self, tmp_path):
        path = str(tmp_path / "waypoint.sqlite3")
        config = env_database(path)
        assert config["ENGINE"] == "django.db.backends.sqlite3"
        assert config["NAME"] == path
        assert config["CONN_MAX_AGE"] == 0
        assert "CONN_HEALTH_CHECKS" not in config
        options = config["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] == 20
        assert "journal_mode=WAL" in options["init_command"]
        assert "busy_timeout=20000" in options["init_command"]
        assert options["init_command"] == SQLITE_INIT

    @pytest.mark.parametrize("blank", ["", "   "])
    def test_blank_database_url_means_the_default(self, monkeypatch, tmp_path, blank):
        monkeypatch.setenv("DATABASE_URL", blank)
        config = env_database(str(tmp_path / "db.sqlite3"))
        assert config["ENGINE"] == "django.db.backends.sqlite3"
        assert config["NAME"] == str(tmp_path / "db.sqlite3")

    def test_in_memory_sqlite(self):
        config = env_database(":memory:")
        assert config["ENGINE"] == "django.db.backends.sqlite3"
        assert config["NAME"] == ":memory:"

    def test_sqlite_url_gets_the_same_options(self, monkeypatch, tmp_path):
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite3")
        config = env_database("/unused.sqlite3")
        assert config["NAME"] == f"{tmp_path}/other.sqlite3"
        assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert config["OPTIONS"]["init_command"] == SQLITE_INIT

    @pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
    def test_postgres_url(self, monkeypatch, scheme):
        monkeypatch.setenv("DATABASE_URL", f"{scheme}://waypoint:s3cret@db.internal:5433/waypoint_live")
        config = env_database("/unused.sqlite3")
        assert config["ENGINE"] == "django.db.backends.postgresql"
        assert config["NAME"] == "waypoint_live"
        assert config["USER"] == "waypoint"
        assert config["PASSWORD"] == "s3cret"
        assert config["HOST"] == "db.internal"
        assert config["PORT"] == 5433
        assert config["CONN_MAX_AGE"] == 60
        assert config["CONN_HEALTH_CHECKS"] is True
        assert "transaction_mode" not in config.get("OPTIONS", {})

    def test_postgres_url_with_surrounding_whitespace(self, monkeypatch):
        monkeypatch.setenv("DATABASE_URL", "  postgres://postgres@127.0.0.1:5432/postgres\n")
        config = env_database("/unused.sqlite3")
        assert config["ENGINE"] == "django.db.backends.postgresql"
        assert config["HOST"] == "127.0.0.1"

    @pytest.mark.parametrize(
        "url", ["mysql://root:pw@localhost/waypoint", "oracle://u:p@host/db", "mssql://u:p@host/db"]
    )
    def test_refuses_other_databases(self, monkeypatch, url):
        monkeypatch.setenv("DATABASE_URL", url)
        with pytest.raises(ImproperlyConfigured) as excinfo:
            env_database("/unused.sqlite3")
        message = str(excinfo.value)
        assert "DATABASE_URL" in message
        assert "PostgreSQL" in message
        assert "SQLite" in message

    @pytest.mark.parametrize("url", ["not a url", "nosuchdb://host/db"])
    def test_refuses_urls_it_cannot_read(self, monkeypatch, url):
        monkeypatch.setenv("DATABASE_URL", url)
        with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
            env_database("/unused.sqlite3")
