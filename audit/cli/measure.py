"""``empreinte measure DIR --shot ID -- CMD ARGS…``: run a local generation under codecarbon.

The command runs with this terminal's stdin, stdout and stderr; Empreinte's own line goes to
stderr. Exit code: the command's own (128+N when a signal N killed it), once its row is written.
No row is written, and Empreinte exits 2, when an option or production.yaml is wrong or the command
cannot be started; and exits 3 when codecarbon did not measure (the row would be a guess).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from audit.base.errors import ConfigError, MeasureError
from audit.cli.common import MessageLang, app, friendly, printed_lang, translator

if TYPE_CHECKING:  # imported when the command runs: pydantic and numpy stay out of --help (B4)
    from audit.estimate.measure import Measurement, RunInfo


def run_command(command: list[str]) -> int:
    """Run ``command`` (stdio inherited); its exit code, 128+N when killed by signal N."""
    if not command:
        raise ConfigError("no command to measure: put it after --", field="command")
    try:
        code = subprocess.run(command, check=False).returncode
    except OSError as exc:
        raise ConfigError(
            f"cannot run the command: {exc.strerror or exc}", field="command", value=command[0]
        ) from None
    return 128 - code if code < 0 else code


def measure_command(
    folder: Path, info: RunInfo, command: list[str], measure_power_secs: float | None = None
) -> Measurement:
    """Check, run ``command`` under codecarbon, append its row; the command's exit code is kept."""
    from audit.estimate.measure import finish, prepare
    from audit.estimate.meter import MEASURE_POWER_SECS, Meter

    plan = prepare(folder, info)
    seconds = MEASURE_POWER_SECS if measure_power_secs is None else measure_power_secs
    with Meter(plan.country, seconds) as meter:
        started_at = datetime.now(UTC)  # when the measured run happened: the real clock, on purpose
        code = run_command(command)
        try:
            return finish(plan, meter, started_at, code)
        except MeasureError as exc:
            raise MeasureError(f"{exc}; no row written (the command exited {code})") from exc


def summary(done: Measurement, root: Path, say: Callable[[str], str] = str) -> str:
    """One line: where the row went, the energy, and whether it was metered or modelled (its
    words through ``say``, the reader's language)."""
    reading = done.reading
    if reading is None:
        return say("%(file)s: nothing measured") % {"file": done.path}
    where = done.path.relative_to(root) if done.path.is_relative_to(root) else done.path
    how = "metered" if reading.energy_source == "metered" else "modelled by codecarbon, not metered"
    line = say(
        "%(file)s:%(line)s: %(energy)s Wh in %(seconds)s s, %(how)s (%(methods)s); command exit "
        "code %(code)s"
    )
    return line % {
        "file": where, "line": done.line, "energy": f"{reading.energy_wh:.4g}",
        "seconds": f"{reading.duration_s:.1f}", "how": say(how),
        "methods": reading.energy_methods, "code": done.exit_code,
    }  # fmt: skip


@app.command(no_args_is_help=True)
@friendly
def measure(
    folder: Annotated[Path, typer.Argument(help="Production folder (holds production.yaml).")],
    command: Annotated[
        list[str], typer.Argument(help="The command to measure, after --.", show_default=False)
    ],
    shot: Annotated[str, typer.Option("--shot", help="Shot id the run is for (shot_tag).")],
    label: Annotated[str | None, typer.Option("--label", help="Free label of the run.")] = None,
    platform: Annotated[
        str, typer.Option("--platform", help="Local platform that ran it: comfyui or a1111.")
    ] = "comfyui",
    modality: Annotated[
        str, typer.Option("--modality", help="What it produced: image, video…")
    ] = "image",
    model: Annotated[str | None, typer.Option("--model", help="Model or checkpoint name.")] = None,
    outputs: Annotated[int, typer.Option("--outputs", help="Outputs it rendered.")] = 1,
    record_id: Annotated[
        str | None,
        typer.Option("--id", help="Record id, e.g. comfyui:<prompt id> (default: file and line)."),
    ] = None,
    lang: MessageLang = None,
) -> None:
    """Run a local generation under codecarbon; append its energy to DIR/logs/measured.csv.

    Exit code: the command's own; 2 for a wrong option, 3 if codecarbon did not measure (no row).
    """
    from audit.estimate.measure import RunInfo

    say = translator(printed_lang(lang))
    info = RunInfo(shot, label, platform, modality, model, outputs, record_id)
    done = measure_command(folder, info, command)
    typer.echo(f"empreinte: {summary(done, folder, say)}", err=True)
    raise typer.Exit(done.exit_code or 0)
