"""A broken installation stops the run at start with a clear message; only faults of a record are quarantined."""

import datetime as dt
import shutil

import pytest
from typer.testing import CliRunner

import transforms.pipeline as pipeline
import transforms.rules as rules_mod
from flows.cli import app
from flows.preflight import ConfigurationError, check_configuration
from tests.conftest import SEEDS
from transforms.pipeline import process_documents, read_dump
from transforms.rules import RulesError, load_rules

RULES = load_rules()

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _seed_doc():
    path = next(SEEDS.glob("*.txt"))
    return read_dump(path.read_bytes(), path.name, "txt", NOW)


def test_broken_rules_file_fails_preflight_naming_the_file(rules_dir, monkeypatch):
    (rules_dir / "boilerplate.toml").write_text("[phrases\nbroken = ")
    monkeypatch.setattr(rules_mod, "RULES_DIR", rules_dir)
    with pytest.raises(ConfigurationError, match=r"rules and model files: RulesError: boilerplate.toml: invalid TOML"):
        check_configuration()


def test_missing_or_corrupt_model_file_fails_preflight(tmp_path, monkeypatch):
    models = tmp_path / "models"
    shutil.copytree(rules_mod.MODELS_DIR, models)
    monkeypatch.setattr(rules_mod, "MODELS_DIR", models)
    (models / "line_model.json").write_text("{not json")
    with pytest.raises(ConfigurationError, match=r"rules and model files: RulesError: .*line_model\.json"):
        check_configuration()
    (models / "line_model.json").unlink()
    with pytest.raises(ConfigurationError, match=r"line_model\.json"):
        check_configuration()


def test_good_installation_passes_preflight(tmp_path):
    check_configuration(tmp_path / "gx")
    assert (tmp_path / "gx").is_dir()


def test_configuration_errors_propagate_out_of_the_batch(monkeypatch):
    docs = _seed_doc()

    def broken(*args, **kwargs):
        raise RulesError("rules directory /x does not exist")

    monkeypatch.setattr(pipeline, "process_document", broken)
    with pytest.raises(RulesError):
        process_documents(docs, RULES)


def test_a_fault_of_the_record_is_still_quarantined(monkeypatch):
    docs = _seed_doc()

    def buggy(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(pipeline, "process_document", buggy)
    (out,) = process_documents(docs, RULES)
    assert (out.rejection.reason, out.rejection.detail) == ("extraction_error", "IndexError: list index out of range")


def test_cli_run_with_broken_rules_exits_2_before_reading(rules_dir, monkeypatch, tmp_path):
    (rules_dir / "html.toml").unlink()
    monkeypatch.setattr(rules_mod, "RULES_DIR", rules_dir)
    wh = tmp_path / "wh.duckdb"
    result = CliRunner().invoke(app, ["run", str(SEEDS), "--warehouse", str(wh), "--lake", str(tmp_path / "lake")])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "configuration error, nothing was read" in said
    assert "missing section(s): body_vote, html_blocks" in said
    assert not wh.exists()  # nothing was read, nothing written


def test_cli_run_with_broken_gx_project_exits_2(tmp_path):
    gx = tmp_path / "gx" / "gx"
    gx.mkdir(parents=True)
    (gx / "great_expectations.yml").write_text("config_version: [unclosed\n  : : :")
    result = CliRunner().invoke(app, ["run", str(SEEDS), "--warehouse", str(tmp_path / "wh.duckdb")])
    assert result.exit_code == 2
    assert "Great Expectations project" in " ".join(result.output.split())


def test_rules_error_is_a_configuration_error():
    assert issubclass(RulesError, pipeline.CONFIGURATION_ERRORS)


def _spin(doc, *args, **kwargs):
    if "slow" in doc.source_file:
        while True:
            pass
    return doc


def _two_docs():
    slow = read_dump(b"x" * 200, "slow.txt", "txt", NOW)
    return slow + _seed_doc()


def test_a_document_over_its_time_cap_is_rejected_with_its_own_reason(monkeypatch):
    monkeypatch.setattr(pipeline, "process_document", _spin)
    slow, fast = process_documents(_two_docs(), RULES, time_cap_seconds=0.3)
    assert (slow.rejection.stage, slow.rejection.reason) == ("extract", "processing_timeout")
    assert fast.rejection is None


def test_the_time_cap_works_in_a_worker_thread(monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(pipeline, "process_document", _spin)
    with ThreadPoolExecutor(1) as pool:
        slow, fast = pool.submit(process_documents, _two_docs(), RULES, 0.3).result(timeout=30)
    assert slow.rejection.reason == "processing_timeout" and fast.rejection is None


def test_one_watchdog_thread_caps_a_whole_batch_and_a_timeout_spares_the_next_documents(monkeypatch):
    import threading

    from transforms import timecap

    started = []

    class Counted(threading.Thread):
        def start(self):
            started.append(self.name)
            super().start()

    monkeypatch.setattr(timecap.threading, "Thread", Counted)
    monkeypatch.setattr(pipeline, "process_document", _spin)
    docs = _two_docs() + _seed_doc() + _two_docs()
    out = process_documents(docs, RULES, time_cap_seconds=0.2)
    assert [d.rejection.reason if d.rejection else None for d in out] == [
        "processing_timeout", None, None, "processing_timeout", None]
    assert started == ["document-time-cap"]
    assert not any(t.name == "document-time-cap" for t in threading.enumerate())  # stopped with the batch


def test_a_finished_document_is_never_hit_by_a_late_timeout():
    import time

    from transforms.timecap import DocumentTimeout, time_cap

    for _ in range(200):
        try:
            with time_cap(0.0005):
                sum(range(3000))
        except DocumentTimeout:
            pass  # fired inside the block: fine
    time.sleep(0.05)
    assert sum(range(10)) == 45  # a timeout still pending after its block would be raised by now


def _summary(read: int, quarantined: int) -> dict:
    return {"run_id": "r", "files_seen": read, "files_skipped": 0, "documents_read": read, "articles_extracted": 0,
            "articles_loaded": read - quarantined, "records_quarantined": quarantined, "boilerplate_lines": 0,
            "files_pruned": 0,
            "failed_checks": [], "seconds": {"total": 1.0}, "warehouse": "w", "lake": "l", "threshold_crossed": False}


@pytest.mark.parametrize(("read", "quarantined", "red"), [(10, 6, True), (10, 5, False), (0, 0, False)])
def test_the_summary_warns_in_red_when_most_documents_were_quarantined(monkeypatch, tmp_path, read, quarantined, red):
    import flows.etl

    monkeypatch.setattr(flows.etl, "flow_with_workers", lambda *args: lambda **kw: _summary(read, quarantined))
    result = CliRunner().invoke(app, ["run", str(SEEDS), "--warehouse", str(tmp_path / "wh.duckdb")])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (f"{quarantined} of {read} documents quarantined" in said) is red
