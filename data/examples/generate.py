"""Write the bundled example production ``le-dernier-phare/`` (synthetic, deterministic).

Usage: ``python data/examples/generate.py [OUT_DIR]`` (default: the folder beside this script).
The same seed always gives the same bytes; tests compare a fresh run with the committed folder.
Only the standard library, Pillow and PyYAML are used; nothing reads the clock or the network.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # helpers sit beside this script, which is not in a package
    sys.path.insert(0, str(HERE))
_WROTE_BYTECODE = sys.dont_write_bytecode
sys.dont_write_bytecode = True  # keep __pycache__ out of data/ (shipped inside the wheel)

from _gen_audio import elevenlabs, suno  # noqa: E402
from _gen_comfyui import comfyui  # noqa: E402
from _gen_common import SEED, Chain, Writer  # noqa: E402
from _gen_docs import PRODUCTION_YAML, production, readme, rights  # noqa: E402
from _gen_images import magnific, midjourney  # noqa: E402
from _gen_timeline import timeline  # noqa: E402
from _gen_video import kling  # noqa: E402

sys.dont_write_bytecode = _WROTE_BYTECODE

DEFAULT_OUT = HERE / "le-dernier-phare"
_MARKER = PRODUCTION_YAML.splitlines()[0]


def _clear(out_dir: Path) -> None:
    """Empty ``out_dir`` if it holds a previous run; refuse to touch any other folder."""
    if not out_dir.exists():
        return
    if not any(out_dir.iterdir()):
        return
    marker = out_dir / "production.yaml"
    first = marker.read_text(encoding="utf-8").splitlines()[:1] if marker.is_file() else []
    if first != [_MARKER]:
        raise SystemExit(f"{out_dir}: not empty and not a previous example run; refusing to clear")
    shutil.rmtree(out_dir)


def generate(out_dir: Path) -> None:
    """Write the whole example production folder into ``out_dir`` (replacing a previous run)."""
    _clear(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    writer = Writer(out_dir, random.Random(SEED))
    chain = Chain()
    midjourney(writer, chain)
    magnific(writer, chain)
    kling(writer, chain)
    comfyui(writer, chain)
    suno(writer, chain)
    elevenlabs(writer, chain)
    timeline(writer, chain)
    rights(writer)
    production(writer)
    readme(writer, chain)


def main(argv: list[str]) -> None:
    out_dir = Path(argv[0]) if argv else DEFAULT_OUT
    generate(out_dir)
    sys.stdout.write(f"wrote {out_dir}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
