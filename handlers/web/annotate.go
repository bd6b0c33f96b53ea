package web

import (
	"context"
	"net/http"
	"strconv"

	"gloss/db"
	"gloss/db/number"
	"gloss/views"
)

// FragmentHeader marks a request from the reader's script that wants the
// reader's parts (or a panel of it) rather than a page or a redirect
// (htmx's name for it).
const FragmentHeader = "HX-Request"

// InPlace reports whether the request is a change (or a filter) made in
// place by the reader's script.
func InPlace(r *http.Request) bool {
	return r.Header.Get(FragmentHeader) == "true"
}

// EvidenceFields are the annotate form's kind fields, read with the rest.
var EvidenceFields = []string{"kind", "entity", "entity_type", "speaker", "speaker_type", "low", "high", "unit",
	"counted", "ref_date", "estimator", "estimator_type", "date_from", "date_to", "place"}

// EvidenceInput reads the annotate form's kind fields.
func EvidenceInput(f views.Form) db.EvidenceInput {
	return db.EvidenceInput{
		Kind: f.Value("kind"), Entity: f.Value("entity"), EntityType: f.Value("entity_type"),
		Speaker: f.Value("speaker"), SpeakerType: f.Value("speaker_type"),
		Low: f.Value("low"), High: f.Value("high"), Unit: f.Value("unit"), Counted: f.Value("counted"),
		RefDate: f.Value("ref_date"), Estimator: f.Value("estimator"), EstimatorType: f.Value("estimator_type"),
		DateFrom: f.Value("date_from"), DateTo: f.Value("date_to"), Place: f.Value("place"),
	}
}

// EvidenceValues fills the kind fields of the edit form from what is stored.
func EvidenceValues(ev db.Evidence) map[string]string {
	v := map[string]string{"kind": ev.Kind}
	switch ev.Kind {
	case db.KindEntity:
		v["entity"] = ev.EntityName
	case db.KindQuote:
		v["speaker"] = ev.EntityName
	case db.KindFigure:
		v["low"], v["unit"], v["counted"], v["ref_date"], v["estimator"] = number.Format(ev.Low), ev.Unit, ev.Counted, ev.RefDate, ev.EntityName
		if ev.High != ev.Low {
			v["high"] = number.Format(ev.High)
		}
	case db.KindEvent:
		v["date_from"], v["date_to"], v["place"] = ev.DateFrom, ev.DateTo, ev.PlaceName
	}
	return v
}

// DefaultAudience is a fresh annotate form's visibility and group: the
// person's last choice (prefsOf is the store's PreferencesOf).
func DefaultAudience(r *http.Request, prefsOf func(context.Context, int64) (db.Preferences, error)) (map[string]string, error) {
	v := Viewer(r)
	prefs, err := prefsOf(r.Context(), v.UserID)
	if err != nil {
		return nil, err
	}
	values := map[string]string{"visibility": string(prefs.Visibility), "group": strconv.FormatInt(prefs.GroupID, 10)}
	// Public is chosen for each save, never a default (a database may
	// remember it from before that rule); a group left is no default.
	if prefs.Visibility == db.Public || (prefs.Visibility == db.Shared && v.WriteInGroup(prefs.GroupID) != nil) {
		values["visibility"] = string(db.Private)
	}
	return values, nil
}
