"""The base layer's translation: field copy with per-object sugar, then the
generated mount units, trees and quadlets."""

from __future__ import annotations

from ..report import Entry
from ..schema import Type
from ..translation import TranslationSet
from ..translator import Hook, Options, translate_config
from .resources import file_contents_hook, resource_hook

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from ..api import TranslateOptions
    from ..paths import Path
    from ..registry import Spec
    from ..translator import Translator


def _unit_hook(tr: Translator, data: dict[str, Any], out: dict[str, Any], fp: Path,
               tp: Path) -> None:
    if data.get("contents_local"):  # the module is loaded only for configs that use it
        from .units_local import contents_local

        contents_local(data, out, tr.ts, tr.entries, tr.options.files_dir, fp, tp)


def _user_hook(tr: Translator, data: dict[str, Any], out: dict[str, Any], fp: Path,
               tp: Path) -> None:
    if data.get("ssh_authorized_keys_local"):
        from .units_local import ssh_keys_local

        ssh_keys_local(data, out, tr.ts, tr.entries, tr.options.files_dir, fp, tp)


def _hooks(base: int) -> dict[str, Hook]:
    hooks: dict[str, Hook] = {"Resource": resource_hook, "FileContents": file_contents_hook}
    if base >= 5:
        hooks["Unit"] = hooks["Dropin"] = _unit_hook
        hooks["PasswdUser"] = _user_hook
    return hooks


def translate_base(cfg: dict[str, Any], spec: Spec, bt: Type, it: Type,
                   opts: TranslateOptions) -> tuple[dict[str, Any], TranslationSet, list[Entry]]:
    from .dataurl import make_data_url

    # openshift 4.8 and 4.9 never compress automatically
    auto = opts.auto_compress and not (spec.variant == "openshift" and spec.ocp_minor < 10)
    options = Options(opts.files_dir, auto)
    ign, tr = translate_config(bt, it, cfg, spec.ign_version, options, _hooks(spec.base))
    ts, entries = tr.ts, tr.entries
    # the passes below are loaded only for configs with something for them to do
    storage = cfg.get("storage") or {}
    if spec.base >= 2 and storage.get("filesystems"):
        from ..ignition.merge import merge_translated
        from .mount_units import mount_units

        generated = mount_units(cfg, spec.base)
        if generated is not None:
            parent, parent_ts = generated
            ign, ts = merge_translated(parent, parent_ts, ign, ts, spec.ign_minor)
    if spec.base >= 2 and storage.get("trees"):
        from .trees import process_trees

        process_trees(cfg, ign, ts, entries, opts.files_dir, spec.base, make_data_url, auto)
    if spec.base >= 8 and (cfg.get("systemd") or {}).get("quadlets"):
        from .quadlets import process_quadlets

        process_quadlets(cfg, ign, ts, entries, opts.files_dir, make_data_url, auto)
    return ign, ts, entries
