"""The plugin's settings (settings.toml) as typed models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SampleType(_Model):
    type: str
    name: str
    crumbs: list[str] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list)
    min_labels: int = 0
    list_page: bool = False  # a list page (many dates)
    document: bool = False  # a document page (not index/list)


class ToolbarFeature(_Model):
    feature: str
    name: str
    markers: list[str]
    expected: bool  # one the evaluation looks for (scored); others are only reported


class Settings(_Model):
    page_timeout_s: float
    concurrency: int
    sample_types: list[SampleType]
    list_min_dates: int
    breadcrumb_labels: list[str]
    list_page_names: list[str]
    axe_tags: list[str]
    axe_max_pages: int
    axe_frame_wait_ms: int
    axe_max_nodes: int
    axe_impact_weights: dict[str, float]
    principles: dict[str, str]
    elder_markers: list[str]
    elder_settle_ms: int
    elder_min_font_px: float
    elder_min_growth: float
    min_line_height_ratio: float
    min_paragraph_ratio: float
    min_contrast: float
    min_contrast_large: float
    min_target_px: float
    min_target_share: float
    nav_hints: list[str]
    layout_hints: list[str]
    overlay_min_area_share: float
    elder_weights: dict[str, float]
    elder_max_screenshots: int
    screenshot_quality: int
    keyboard_max_tabs: int
    trap_repeats: int
    trap_window: int
    trap_max_elements: int
    keyboard_max_screenshots: int
    focus_recheck_ms: int
    toolbar_markers: list[str]
    toolbar_features: list[ToolbarFeature]
    toolbar_settle_ms: int
