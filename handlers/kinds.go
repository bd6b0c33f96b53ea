package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/evidence"
	"gloss/db/number"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// The annotate form's Kind fields (entity, quote, figure, event) as the
// reader and the edit form use them; the form reads them with
// web.EvidenceInput. The views built from them are handlers/evidence.

// suggestions are the Kind fields' suggestions for the viewer: the names
// and aliases of the entities and what figures count, among what they may see.
func (s *Server) suggestions(r *http.Request) (names, counted []string, err error) {
	ctx, v := r.Context(), web.Viewer(r)
	if names, err = s.db.EntityNames(ctx, v); err != nil {
		return nil, nil, err
	}
	counted, err = s.db.EvidenceCounted(ctx, v)
	return names, counted, err
}

// evidenceSuggestions answers evidence.js with the suggestions, as JSON.
func (s *Server) evidenceSuggestions(c echo.Context) error {
	names, counted, err := s.suggestions(c.Request())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, map[string][]string{"entities": nonNil(names), "counted": nonNil(counted)})
}

// nonNil makes an empty list [] in JSON rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// evidenceValues fills the kind fields of the edit form from what is stored.
func evidenceValues(ev db.Evidence) map[string]string {
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

// addEvidence gives the reader's cards their kind and fields in words.
func (s *Server) addEvidence(ctx context.Context, lists ...[]views.AnnotationCard) error {
	var ids []int64
	for _, l := range lists {
		for _, c := range l {
			ids = append(ids, c.ID)
		}
	}
	evs, err := s.db.EvidenceOf(ctx, ids)
	if err != nil || len(evs) == 0 {
		return err
	}
	for _, l := range lists {
		for i := range l {
			ev, ok := evs[l[i].ID]
			if !ok {
				continue
			}
			l[i].Kind, l[i].KindDetail, l[i].KindLink = ev.Kind, evidence.Detail(ev.Fields()), kindLink(ev)
		}
	}
	return nil
}

func kindLink(ev db.Evidence) string {
	switch {
	case ev.Kind == db.KindFigure:
		return paths.Figures
	case ev.Kind == db.KindEvent:
		return paths.Timeline
	case ev.EntityID != 0:
		return paths.Voice(ev.EntityID)
	}
	return ""
}
