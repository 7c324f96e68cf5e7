package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// amountField is a facility's or an announcement's amount as
// model.Dataset.AmountOf defines it (the one the table, filters and exports
// use): a facility's own capex, or the figure of the record it is stated
// on, named.
func (c *common) amountField(r model.Record) (field, bool) {
	a, ok := c.ds.AmountOf(r)
	if !ok {
		return field{}, false
	}
	if a.From == "" {
		return field{"Capex", c.moneyDetail(a.Money, a.At)}, true
	}
	return field{"Amount", c.moneyDetail(a.Money, a.At) + "\n" + c.styles.Dim.Render("stated for "+c.nameOrEmpty(a.From))}, true
}

// moneyDetail shows an amount as stated and converted, with the rates used:
// into the display currency, or USD (EUR for USD amounts) when the display
// is the original currency.
func (c *common) moneyDetail(m model.Money, at model.Date) string {
	s := m.Currency + " " + model.HumanAmount(m.Amount) + " (" + fmtFloat(m.Amount) + ")"
	if m.Qualifier != "" {
		s = clean(m.Qualifier) + " " + s
	}
	to := c.currency
	if to == "" || to == m.Currency {
		to = "USD"
		if m.Currency == "USD" {
			to = "EUR"
		}
	}
	conv, err := c.ds.Convert(m, to, at)
	if err != nil {
		return s + "\n" + c.styles.Dim.Render("no exchange rate to "+to)
	}
	return s + "\n≈ " + to + " " + model.HumanAmount(conv.To.Amount) + c.styles.Dim.Render(" at "+conv.Describe())
}

// dateDetail shows a date with its precision, the phrase as stated and an
// inference mark with its basis.
func dateDetail(d model.Date) string {
	if d.IsZero() {
		return ""
	}
	s := d.String() + " (to the " + string(d.Prec()) + ")"
	if d.Inferred {
		s = "~" + s + " inferred"
		if d.Basis != "" {
			s += ": " + clean(d.Basis)
		}
	}
	// The phrase as stated matters when it differs from the value ("entro
	// la fine di giugno" for "by Jun 2025"), not when it repeats it.
	if d.AsStated != "" && !strings.EqualFold(d.AsStated, d.String()) && d.AsStated != d.Value {
		s += "\nas stated “" + clean(d.AsStated) + "”"
	}
	return s
}

func optDate(d *model.Date) string {
	if d == nil {
		return ""
	}
	return dateDetail(*d)
}

func coords(p *model.Coords) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(p.Lat, 'f', 4, 64) + ", " + strconv.FormatFloat(p.Lon, 'f', 4, 64)
}

// firstLabel is the label of item i of a list of fields: on the first
// only, the others continue under it.
func firstLabel(i int, label string) string {
	if i == 0 {
		return label
	}
	return ""
}

func join(ss []string) string { return clean(strings.Join(ss, ", ")) }

// recordFields lists a record's fields in reading order.
func recordFields(c *common, r model.Record) []field {
	switch r := r.(type) {
	case *model.Facility:
		fs := []field{
			{"Also known", join(r.Aliases)},
			{"Operator", c.nameOrEmpty(r.Operator)},
			{"Owners", c.names(r.Owners)},
			{"Developers", c.names(r.Developers)},
			{"Tenants", c.names(r.Tenants)},
			{"Partners", c.names(r.Partners)},
			{"Customers", c.names(r.Customers)},
			{"City", c.placeName(r.City)},
			{"Area", c.placeName(r.Admin)},
			{"Country", c.placeName(r.Country)},
			{"Coordinates", coordsText(r.Coords, r.CoordsFrom)},
			{"Power", powerText(r.PowerMW, r.PowerBasis)},
		}
		for i, p := range r.Phases {
			v := clean(p.Name) + ": " + fmtFloat(p.PowerMW) + " MW"
			if p.Target != nil {
				v += ", target " + dateDetail(*p.Target)
			}
			fs = append(fs, field{firstLabel(i, "Phases"), v})
		}
		gpus := intPtrCell(r.GPUs)
		if r.GPUModel != "" {
			gpus = strings.TrimSpace(gpus + " " + clean(r.GPUModel))
		}
		status := string(r.Status)
		if n := len(r.StatusHistory); n > 0 {
			status += " as of " + r.StatusHistory[n-1].AsOf.Display()
		}
		fs = append(fs, field{"GPUs", gpus}, field{"Status", status})
		// The history reads oldest first, as a timeline does; a single
		// entry only repeats the status.
		if len(r.StatusHistory) > 1 {
			for i, h := range r.StatusHistory {
				fs = append(fs, field{firstLabel(i, "History"), string(h.Status) + " as of " + h.AsOf.Display()})
			}
		}
		for _, m := range r.Milestones {
			v := dateDetail(m.Date)
			if m.Note != "" {
				v = clean(m.Note) + ": " + v
			}
			fs = append(fs, field{milestoneLabel(m.Kind), v})
		}
		if f, ok := c.amountField(r); ok {
			fs = append(fs, f)
		}
		fs = append(fs, field{"Investment", c.nameOrEmpty(r.Investment)})
		return fs
	case *model.Investment:
		amount := "not found in the sources"
		if r.Amount != nil {
			amount = c.moneyDetail(*r.Amount, r.Announced)
		}
		fs := []field{
			{"Investor", c.name(r.Investor)},
			{"Co-investors", c.names(r.CoInvestors)},
			{"Partners", c.names(r.Partners)},
			{"Amount", amount},
			{"Period", periodText(r)},
			{"Scope", clean(r.Scope)},
			{"Places", c.placeNames(r.Places)},
			{"Facilities", c.names(r.Facilities)},
			{"Announced", dateDetail(r.Announced)},
		}
		for i, rep := range r.Reports {
			v := rep.Amount.String()
			if r.Amount == nil {
				// nothing to compare the report with
			} else if rate, ok := model.ImpliedRate(*r.Amount, rep.Amount); ok {
				v += fmt.Sprintf(" → implies 1 %s = %s %s", rep.Amount.Currency,
					strconv.FormatFloat(rate, 'f', 4, 64), r.Amount.Currency)
			}
			v += c.styles.Dim.Render(" — " + c.sourceList(rep.Evidence))
			fs = append(fs, field{firstLabel(i, "Reported as"), v})
		}
		return fs
	case *model.Announcement:
		fs := []field{
			{"Date", dateDetail(r.Date)},
			{"Kind", string(r.Kind)},
			{"Summary", cleanText(r.Summary)},
			{"Companies", c.names(r.Companies)},
			{"Places", c.placeNames(r.Places)},
			{"Concerns", c.names(r.Records)},
		}
		if f, ok := c.amountField(r); ok {
			fs = append(fs, f)
		}
		return fs
	case *model.Company:
		fs := []field{
			{"Also known", join(r.Aliases)},
			{"Kind", string(r.Kind)},
			{"Country", c.placeName(r.Country)},
			{"Parent", c.nameOrEmpty(r.Parent)},
		}
		for i, p := range r.People {
			fs = append(fs, field{firstLabel(i, "People"), clean(p.Name) + ", " + clean(p.Role)})
		}
		for i, f := range r.Footprints {
			fs = append(fs, field{firstLabel(i, "Footprint"), model.Plural(f.Regions, "region") + ", " + model.Plural(f.Zones, "zone") + " as of " + f.AsOf.Display() + " (reported)"})
		}
		if n := c.provided[r.ID]; n > 0 || len(r.Footprints) > 0 {
			// The reported footprint counts every region the company
			// runs; the dataset lists those its sources describe.
			fs = append(fs, field{"In dataset", model.Plural(n, "region") + " in the Regions tab"})
		}
		return fs
	case *model.Region:
		zones := ""
		if r.Zones != nil {
			zones = strconv.Itoa(*r.Zones)
		}
		third := ""
		if r.ThirdParty {
			third = "figures from a third-party dataset, not the provider"
		}
		return []field{
			{"Provider", c.name(r.Provider)},
			{"Code", clean(r.Code)},
			{"Name", clean(r.Name)},
			{"City", c.placeName(r.City)},
			{"Country", c.placeName(r.Country)},
			{"Coordinates", coords(r.Coords)},
			{"Zones", zones},
			{"Zone codes", join(r.ZoneIDs)},
			{"Status", string(r.Status)},
			{"As of", dateDetail(r.AsOf)},
			{"Third party", third},
		}
	case *model.Zone:
		return []field{
			{"Region", c.name(r.Region)},
			{"Code", clean(r.Code)},
		}
	case *model.Source:
		return []field{
			{"Publisher", clean(r.Publisher)},
			{"URL", clean(r.URL)},
			{"Language", clean(r.Language)},
			{"Published", optDate(r.Published)},
			{"Kind", string(r.Kind)},
			{"Quality", qualityText(r.Quality)},
			{"Rewrites", c.names(r.Rewrites)},
			{"File", clean(r.File)},
		}
	case *model.Place:
		return []field{
			{"Kind", string(r.Kind)},
			{"Code", clean(r.Code)},
			{"In", c.placeName(r.Admin)},
			{"Country", c.placeName(r.Country)},
			{"Contains", c.placeNames(r.Contains)},
			{"Coordinates", coords(r.Coords)},
			{"Also known", join(r.Aliases)},
		}
	}
	return nil
}

// citedSources names the sources a piece of evidence cites, each weaker
// than primary marked as such, so a tracker's figure never reads like a
// company's.
func (c *common) citedSources(ids []string) string {
	parts := make([]string, 0, len(ids))
	for _, id := range ids {
		s := c.name(id)
		if r, ok := c.ds.Get(id); ok {
			if src, ok := r.(*model.Source); ok && src.Quality != "" && src.Quality != model.QualityPrimary {
				s += " [" + string(src.Quality) + "]"
			}
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func qualityText(q model.SourceQuality) string {
	switch q {
	case model.QualityPrimary:
		return "primary (the company, an official record or a news report)"
	case model.QualitySecondary:
		return "secondary (a weak outlet, a rewrite or a copy)"
	case model.QualityThirdParty:
		return "third-party (a tracker or aggregator)"
	}
	return ""
}

// fieldList turns JSON field names into words: "power_mw, gpus" → "power, GPUs".
func fieldList(fields []string) string {
	words := make([]string, len(fields))
	for i, f := range fields {
		switch f {
		case "power_mw":
			f = "power"
		case "gpus":
			f = "GPUs"
		case "gpu_model":
			f = "GPU model"
		default:
			f = strings.ReplaceAll(f, "_", " ")
		}
		words[i] = f
	}
	return clean(strings.Join(words, ", "))
}

func coordsText(p *model.Coords, from string) string {
	s := coords(p)
	switch {
	case s == "":
	case from == "city":
		s += " (the city's)"
	case from == "admin-area":
		s += " (a town standing for the area: the site is not located closer)"
	case from == "country":
		s += " (the country's)"
	}
	return s
}

func powerText(p *float64, basis string) string {
	s := mwText(p)
	switch {
	case s == "":
	case basis == "it":
		s += " (IT load)"
	case basis == "facility":
		s += " (facility total)"
	}
	return s
}

func milestoneLabel(k model.MilestoneKind) string {
	switch k {
	case model.MilestoneAnnounced:
		return "Announced"
	case model.MilestoneConstructionStart:
		return "Construction"
	case model.MilestoneTarget:
		return "Target"
	case model.MilestoneOpened:
		return "Opened"
	case model.MilestoneSiteAcquired:
		return "Site bought"
	}
	return capitalize(strings.ReplaceAll(string(k), "-", " "))
}

func mwText(p *float64) string {
	if p == nil {
		return ""
	}
	return fmtFloat(*p) + " MW"
}

func periodText(r *model.Investment) string {
	s := clean(r.Period)
	if r.PeriodMonths > 0 {
		if s != "" {
			s += " "
		}
		s += fmt.Sprintf("(%d months)", r.PeriodMonths)
	}
	return s
}
