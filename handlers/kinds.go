package handlers

import (
	"context"

	"gloss/db"
	"gloss/db/evidence"
	"gloss/handlers/paths"
	"gloss/views"
)

// The kinds of annotation (entity, quote, figure, event) on the reader's
// cards. The annotate form's Kind fields are read and filled by
// web.EvidenceInput and web.EvidenceValues, and suggested by
// handlers/evidence, which also serves the views built from them.

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
