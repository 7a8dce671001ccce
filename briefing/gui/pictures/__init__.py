"""Pictures drawn with Qt: the timeline chart and the relationship diagram, exportable as PNG."""

from briefing.gui.pictures.diagram import RelationshipDiagramWidget
from briefing.gui.pictures.timeline_chart import TimelineChartWidget

__all__ = ["RelationshipDiagramWidget", "TimelineChartWidget"]
