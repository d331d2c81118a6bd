"""Variants: how each variant builds on the shared base layers."""

from __future__ import annotations

from ..registry import Spec
from .layers import Layer, layer_for

__all__ = ["Layer", "Spec", "layer_for"]
