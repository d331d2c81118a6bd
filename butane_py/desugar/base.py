"""The base layer's translation: field copy with per-object sugar, then the
generated mount units, trees and quadlets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..report import Entry
from ..schema import Type
from ..translation import TranslationSet
from ..translator import Hook, Options, translate_config
from .resources import file_contents_hook, resource_hook

if TYPE_CHECKING:
    from ..api import TranslateOptions
    from ..registry import Spec


def _hooks(base: int) -> dict[str, Hook]:
    from . import units_local

    hooks: dict[str, Hook] = {"Resource": resource_hook, "FileContents": file_contents_hook}
    if base >= 5:
        hooks["Unit"] = units_local.unit_hook
        hooks["Dropin"] = units_local.dropin_hook
        hooks["PasswdUser"] = units_local.user_hook
    return hooks


def translate_base(cfg: dict[str, Any], spec: Spec, bt: Type, it: Type,
                   opts: TranslateOptions) -> tuple[dict[str, Any], TranslationSet, list[Entry]]:
    from ..ignition.merge import merge_translated
    from .dataurl import make_data_url

    # openshift 4.8 and 4.9 never compress automatically
    auto = opts.auto_compress and not (spec.variant == "openshift" and spec.ocp_minor < 10)
    options = Options(opts.files_dir, auto)
    ign, tr = translate_config(bt, it, cfg, spec.ign_version, options, _hooks(spec.base))
    ts, entries = tr.ts, tr.entries
    if spec.base >= 2:
        from .mount_units import mount_units

        generated = mount_units(cfg, spec.base)
        if generated is not None:
            parent, parent_ts = generated
            ign, ts = merge_translated(parent, parent_ts, ign, ts, spec.ign_minor)
        from .trees import process_trees

        process_trees(cfg, ign, ts, entries, opts.files_dir, spec.base, make_data_url, auto)
    if spec.base >= 8:
        from .quadlets import process_quadlets

        process_quadlets(cfg, ign, ts, entries, opts.files_dir, make_data_url, auto)
    return ign, ts, entries
