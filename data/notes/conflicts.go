package notes

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// conflicts splits a conflicts cell: each top-level ";" segment is one
// disagreement, its " vs " parts the values, each quoted with the keys it
// cites. A segment with one value (a claim no other source confirms) cannot
// be a conflict: it comes back as evidence of its own, so nothing is lost.
//
// A value that names no key cites those of its segment, else the cell's.
func (b *builder) conflicts(d *Doc, where, cell string, fields []string, investment bool) ([]model.Conflict, []model.Evidence) {
	if notFound(cell) || strings.HasPrefix(cell, "NONE") && !strings.Contains(cell, ";") {
		return nil, nil
	}
	var out []model.Conflict
	var single []model.Evidence
	for i, seg := range splitTop(cell, ";") {
		field := ""
		if i < len(fields) {
			field = fields[i]
		}
		if field == "" {
			field = guessField(seg, investment)
		}
		segCites := citesOr(b.cites(d, seg), b.cites(d, cell))
		parts := splitTop(seg, " vs ")
		if len(parts) < 2 {
			ev := b.evCiting(d, seg, segCites)
			ev.Note = "A claim from the notes' conflicts cell that no second source confirms or contradicts."
			single = append(single, ev)
			continue
		}
		cf := model.Conflict{
			Field:   field,
			Summary: fmt.Sprintf("The sources disagree on %s: %d values, each with its sources below.", fieldLabel(field), len(parts)),
		}
		for _, p := range parts {
			cf.Values = append(cf.Values, model.ConflictValue{Value: p, Evidence: []model.Evidence{b.evCiting(d, p, citesOr(b.cites(d, p), segCites), field)}})
		}
		out = append(out, cf)
	}
	if len(fields) > 0 && len(fields) != len(splitTop(cell, ";")) {
		b.bad("%s: conflict_fields names %d fields, the conflicts cell has %d segments", where, len(fields), len(splitTop(cell, ";")))
	}
	return out, single
}

var yearRe = regexp.MustCompile(`\b20[0-9]{2}\b`)

// guessField names the field a disagreement is about from its words.
func guessField(seg string, investment bool) string {
	s := strings.ToLower(seg)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(s, w) {
				return true
			}
		}
		return false
	}
	money := "capex"
	if investment {
		money = "amount"
	}
	switch {
	case has("operator", "operate"):
		return "operator"
	case has("lessee", "tenant", "lease"):
		return "tenants"
	case has("owner"):
		return "owners"
	case has(" mw", "gw", "megawatt", "gigawatt", "power"):
		return "power_mw"
	case has("gpu", "chip", "gb200", "gb300", "h100", "h200", "tpu", "accelerator"):
		return "gpus"
	case has("$", "usd", "capex", "cost", " bn", "billion", "eur", "€", "£", "yen", "won", "yuan"):
		return money
	case has("status", "online", "operational", "cancel", "paused", "construction"):
		return "status"
	case has("date", "opening", "completion", "start", "launch") || yearRe.MatchString(s):
		if investment {
			return "announced"
		}
		return "milestones"
	}
	return "notes"
}

var fieldLabels = map[string]string{
	"power_mw": "the power", "gpus": "the chips", "capex": "the capital cost", "amount": "the amount",
	"status": "the status", "milestones": "the dates", "announced": "the date", "operator": "the operator",
	"owners": "the owners", "tenants": "the tenant", "customers": "the customers", "city": "the location",
	"name": "the name", "notes": "a detail",
}

func fieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return strings.ReplaceAll(f, "_", " ")
}

func citesOr(ids, otherwise []string) []string {
	if len(ids) == 0 {
		return otherwise
	}
	return ids
}
