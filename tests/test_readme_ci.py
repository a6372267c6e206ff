"""The README's commands are the ones CI and the Makefile run."""

import re

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    quick = text.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```bash\n(.*?)```", quick, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_readme_has_exactly_a_setup_and_a_test_command():
    assert readme_commands() == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    commands = [ln.strip() for ln in ci if ln.strip() and not ln.lstrip().startswith("#")]
    assert readme_commands()[1] in commands


def test_make_demo_runs_the_flow_on_the_bundled_samples():
    makefile = (ROOT / "Makefile").read_text()
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "broadsheet run samples/inbox" in demo
    assert "broadsheet report" in demo
    assert len(list((ROOT / "samples" / "inbox").glob("*.txt"))) == 5
