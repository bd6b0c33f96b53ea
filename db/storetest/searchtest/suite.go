package searchtest

import "gloss/db/storetest"

// suite lists the search contract's tests; TestSuiteIsComplete keeps it
// whole.
var suite = []storetest.Case{
	{Name: "SearchSyntax", Test: TestSearchSyntax},
	{Name: "SearchHits", Test: TestSearchHits},
	{Name: "SearchPermissions", Test: TestSearchPermissions},
	{Name: "SearchFilters", Test: TestSearchFilters},
	{Name: "SearchPagination", Test: TestSearchPagination},
	{Name: "SearchHostileInputs", Test: TestSearchHostileInputs},
	{Name: "SearchIndexFollowsWrites", Test: TestSearchIndexFollowsWrites},
	{Name: "Reindex", Test: TestReindex},
	{Name: "SearchEmptyQuery", Test: TestSearchEmptyQuery},
	{Name: "SearchCountCap", Test: TestSearchCountCap},
	{Name: "SearchMeaning", Test: TestSearchMeaning},
}
