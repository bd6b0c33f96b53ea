package evidencetest

import "gloss/db/storetest"

// suite lists the evidence contract's tests; TestSuiteIsComplete keeps it
// whole.
var suite = []storetest.Case{
	{Name: "FiguresOfTheSeedCorpus", Test: TestFiguresOfTheSeedCorpus},
	{Name: "EvidenceValidation", Test: TestEvidenceValidation},
	{Name: "EntitiesMergeAndAliases", Test: TestEntitiesMergeAndAliases},
	{Name: "EventsAndTimelineFilters", Test: TestEventsAndTimelineFilters},
	{Name: "EvidenceExportImportRoundTrip", Test: TestEvidenceExportImportRoundTrip},
	{Name: "UpdateAnnotationKind", Test: TestUpdateAnnotationKind},
	{Name: "EvidenceOrphansLeaveTheViews", Test: TestEvidenceOrphansLeaveTheViews},
}
