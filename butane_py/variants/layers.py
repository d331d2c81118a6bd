"""Each variant as a layer over the shared base translation: which input type
it reads, which checks and sugar it adds, which output fields it rejects."""

from __future__ import annotations

from .. import messages as msg
from ..report import Entry
from ..schema import Type, butane_config, ignition_config
from ..translation import TranslationSet

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any, TypeAlias

    from ..api import TranslateOptions
    from ..registry import Spec

Translated: TypeAlias = "tuple[dict[str, Any], TranslationSet, list[Entry]]"


def _diags(diags: list[tuple[str, tuple[str | int, ...], str]]) -> list[Entry]:
    return [Entry(kind, message, path, tag="json") for kind, path, message in diags]


class Layer:
    """The base layer alone: what flatcar, r4e and fiot are, less their filters."""

    filter_table: dict[str, str] = {}

    def butane_type(self, spec: Spec) -> Type:
        return butane_config(spec.base)

    def ignition_type(self, spec: Spec) -> Type:
        return ignition_config(spec.ign_minor)

    def validate(self, cfg: dict[str, Any], spec: Spec) -> list[Entry]:
        from ..validate_butane import validate

        return validate(cfg, spec.base, spec.ign_minor)

    def translate(self, cfg: dict[str, Any], spec: Spec, opts: TranslateOptions) -> Translated:
        from ..desugar import base

        return base.translate_base(cfg, spec, self.butane_type(spec), self.ignition_type(spec), opts)

    def filters_for(self, spec: Spec) -> dict[str, str]:
        return self.filter_table

    def filters(self, ign: dict[str, Any], cfg: dict[str, Any], spec: Spec,
                opts: TranslateOptions) -> list[Entry]:
        table = self.filters_for(spec)
        if not table:
            return []
        from .filters import check_filters

        return check_filters(ign, self.ignition_type(spec), table)

    def check_output(self, ign: dict[str, Any], cfg: dict[str, Any], spec: Spec,
                     opts: TranslateOptions) -> list[Entry]:
        from ..ignition.validate import duplicates, validate

        version = spec.ign_version
        return _diags(duplicates(ign, version)) + _diags(validate(ign, version))

    def render(self, ign: dict[str, Any], cfg: dict[str, Any], spec: Spec,
               opts: TranslateOptions) -> tuple[str, dict[str, Any]]:
        from ..emit.json_go import dumps, shape

        shaped = shape(ign, self.ignition_type(spec))[0]
        return dumps(shaped, opts.pretty), shaped


class FlatcarLayer(Layer):
    def filters_for(self, spec: Spec) -> dict[str, str]:
        if spec.base >= 8:
            return {"storage.luks.cex": msg.CEX_NOT_SUPPORTED}
        return {"storage.luks.clevis": msg.CLEVIS_SUPPORT}


class EdgeLayer(Layer):
    """r4e and fiot: no disk, filesystem, RAID, LUKS or kernel-argument customisation."""

    filter_table = {
        "kernelArguments": msg.GENERAL_KERNEL_ARGUMENT_SUPPORT,
        "storage.disks": msg.DISK_SUPPORT,
        "storage.filesystems": msg.FILESYSTEM_SUPPORT,
        "storage.luks": msg.LUKS_SUPPORT,
        "storage.raid": msg.RAID_SUPPORT,
    }


class FcosLayer(Layer):
    def butane_type(self, spec: Spec) -> Type:
        return butane_config(spec.base, spec.fcos_minor)

    def validate(self, cfg: dict[str, Any], spec: Spec) -> list[Entry]:
        from .fcos import validate_fcos

        return validate_fcos(cfg, spec.fcos_minor, super().validate(cfg, spec))

    def translate(self, cfg: dict[str, Any], spec: Spec, opts: TranslateOptions) -> Translated:
        from ..desugar.dataurl import make_data_url
        from .fcos import desugar_fcos

        ign, ts, entries = super().translate(cfg, spec, opts)
        if any(e.kind == "error" for e in entries):
            return ign, ts, entries
        ign, ts, more = desugar_fcos(cfg, ign, ts, spec.fcos_minor, make_data_url, opts.auto_compress)
        return ign, ts, entries + more


def _openshift() -> Layer:
    from .openshift import OpenShiftLayer

    return OpenShiftLayer()


_LAYERS: dict[str, Layer] = {
    "fcos": FcosLayer(),
    "flatcar": FlatcarLayer(),
    "r4e": EdgeLayer(),
    "fiot": EdgeLayer(),
}


def layer_for(spec: Spec) -> Layer:
    layer = _LAYERS.get(spec.variant)
    if layer is None:
        layer = _LAYERS[spec.variant] = _openshift()
    return layer
