package search

import (
	"bytes"
	"math"
	"slices"
	"sync"

	"github.com/dcx-explorer/dcx/model"
)

// lookups are the id maps the per-record pass reads (concurrently, read-only).
type lookups struct {
	company map[string]int32
	place   map[string]int32
	status  map[string]uint8
	quality map[string]uint8 // source id → its quality bit
	convMu  sync.Mutex
	conv    map[convKey]float64
}

type convKey struct{ from, to, date string }

func (e *Engine) index() *lookups {
	lk := &lookups{company: map[string]int32{}, place: map[string]int32{}, status: map[string]uint8{}, quality: map[string]uint8{}, conv: map[convKey]float64{}}
	for i, r := range e.recs {
		switch r := r.(type) {
		case *model.Source:
			if b := qualityBit(r.Quality); b != 0 {
				lk.quality[r.ID] = b
			}
		case *model.Company:
			lk.company[r.ID] = int32(len(e.companies))
			e.companies = append(e.companies, entity{rec: int32(i), text: entityText(r.ID, r.Name, r.Aliases...), link: fold(r.Name + " " + r.ID), parent: -1})
		case *model.Place:
			lk.place[r.ID] = int32(len(e.places))
			e.places = append(e.places, entity{rec: int32(i), text: entityText(r.ID, r.Name, r.Aliases...), link: fold(r.RecordTitle()), code: fold(r.Code), kind: r.Kind, parent: -1})
		}
	}
	for o := range e.companies {
		c := e.recs[e.companies[o].rec].(*model.Company)
		if p, ok := lk.company[c.Parent]; ok && c.Parent != "" {
			e.companies[o].parent = p
		}
	}
	for o := range e.places {
		p := e.recs[e.places[o].rec].(*model.Place)
		if c, ok := lk.place[p.Country]; ok && p.Country != "" {
			e.places[o].parent = c
		}
		for _, id := range p.Contains {
			if c, ok := lk.place[id]; ok {
				e.places[o].contains = append(e.places[o].contains, c)
			}
		}
	}
	for _, s := range []string{string(model.FacilityAnnounced), string(model.FacilityPlanned), string(model.FacilityPermitting), string(model.FacilityConstruction),
		string(model.FacilityPartlyOperational), string(model.FacilityOperational), string(model.FacilityPaused), string(model.FacilityCancelled),
		string(model.RegionActive), string(model.RegionPlanned), string(model.RegionRestricted), string(model.RegionDecommissioned)} {
		if _, ok := lk.status[s]; !ok {
			lk.status[s] = uint8(len(e.statuses))
			e.statuses = append(e.statuses, s)
		}
	}
	// Statuses outside the known lists still get a code, up to 255 of them.
	for _, r := range e.recs {
		var s string
		switch r := r.(type) {
		case *model.Facility:
			s = string(r.Status)
		case *model.Region:
			s = string(r.Status)
		}
		if _, ok := lk.status[s]; !ok && s != "" && len(e.statuses) < 256 {
			lk.status[s] = uint8(len(e.statuses))
			e.statuses = append(e.statuses, fold(s))
		}
	}
	return lk
}

func entityText(id, name string, aliases ...string) string {
	b := appendFold(nil, name)
	for _, a := range aliases {
		b = append(b, fieldSep)
		b = appendFold(b, a)
	}
	b = append(b, fieldSep)
	b = appendFold(b, id)
	return string(b)
}

// buildSegment folds the texts of segment s into an exact-size buffer (the
// scratch buffer is reused, so building a million records never holds two
// copies of all texts) and fills the per-record attributes.
func (e *Engine) buildSegment(s int, lk *lookups, scratch *[]byte) {
	lo := s * segSize
	hi := min(lo+segSize, len(e.recs))
	seg := &e.segs[s]
	seg.off = make([]uint32, 0, hi-lo+1)
	seg.coOff = make([]uint32, 0, hi-lo+1)
	seg.plOff = make([]uint32, 0, hi-lo+1)
	buf := (*scratch)[:0]
	for i := lo; i < hi; i++ {
		seg.off = append(seg.off, uint32(len(buf)))
		seg.coOff = append(seg.coOff, uint32(len(seg.co)))
		seg.plOff = append(seg.plOff, uint32(len(seg.pl)))
		start := len(buf)
		buf = e.record(i, buf, seg, lk)
		text := buf[start:]
		e.mask[i] = textMask(text)
		t := bytes.IndexByte(text, fieldSep)
		if t < 0 {
			t = len(text)
		}
		e.tlen[i] = uint8(min(t, 255))
		e.starts[i] = wordStarts(text[:t])
	}
	seg.off = append(seg.off, uint32(len(buf)))
	seg.coOff = append(seg.coOff, uint32(len(seg.co)))
	seg.plOff = append(seg.plOff, uint32(len(seg.pl)))
	seg.text = append([]byte(nil), buf...)
	seg.co = append([]int32(nil), seg.co...)
	seg.pl = append([]int32(nil), seg.pl...)
	*scratch = buf
}

// text returns record i's folded search text: fields ending in fieldSep, the
// record's title first.
func (e *Engine) text(i int) []byte {
	s := &e.segs[i>>segBits]
	j := i & (segSize - 1)
	return s.text[s.off[j]:s.off[j+1]]
}

// SearchText is everything free-text terms are matched against for record
// i, folded, fields separated by newlines: the record's own text, then the
// names of the companies and places it links to (for tests, benchmarks and
// debugging; the engine keeps the names once, see Engine).
func (e *Engine) SearchText(i int) string {
	e.Wait()
	b := slices.Clone(e.text(i))
	for _, o := range e.companyLinks(i) {
		b = append(append(b, e.companies[o].link...), fieldSep)
	}
	for _, o := range e.placeLinks(i) {
		b = append(append(b, e.places[o].link...), fieldSep)
	}
	return string(b)
}

// record appends record i's text to buf and its links to seg, and sets its
// attributes.
func (e *Engine) record(i int, buf []byte, seg *segment, lk *lookups) []byte {
	r := e.recs[i]
	// A field whose folded text the record already has is dropped: it
	// cannot change what matches (terms and phrases are looked for in the
	// whole text, a phrase never spans fields, ranking reads only the title,
	// which comes first). Records repeat themselves a lot (an announcement's
	// headline is its evidence's quote, a country's code is its id, nested
	// evidence repeats the record's own): at a million records this keeps
	// tens of megabytes out of the texts.
	recStart := len(buf)
	add := func(ss ...string) {
		for _, s := range ss {
			if s == "" {
				continue
			}
			start := len(buf)
			buf = appendFold(buf, s)
			buf = append(buf, fieldSep)
			if start > recStart && hasField(buf[recStart:start], buf[start:]) {
				buf = buf[:start]
			}
		}
	}
	coStart, plStart := len(seg.co), len(seg.pl)
	company := func(ids ...string) {
		for _, id := range ids {
			o, ok := lk.company[id]
			if !ok || slices.Contains(seg.co[coStart:], o) {
				continue
			}
			seg.co = append(seg.co, o)
		}
	}
	var placeOne func(o int32)
	placeOne = func(o int32) {
		if slices.Contains(seg.pl[plStart:], o) {
			return
		}
		seg.pl = append(seg.pl, o)
		if c := e.places[o].parent; c >= 0 && (e.places[o].kind == model.PlaceCity || e.places[o].kind == model.PlaceAdminArea) {
			placeOne(c)
		}
	}
	place := func(ids ...string) {
		for _, id := range ids {
			if o, ok := lk.place[id]; ok {
				placeOne(o)
			}
		}
	}
	nan := float32(math.NaN())
	for f := range e.nums {
		e.nums[f][i] = nan
	}
	e.provider[i] = -1
	e.kind[i] = uint8(r.RecordKind().Order())
	year := func(d model.Date) {
		if y := dateYear(d.Value); y >= yearBase && y < yearBase+64 {
			e.years[i] |= 1 << uint(y-yearBase)
		}
	}
	setStatus := func(s string) { e.status[i] = lk.status[s] }
	add(r.RecordTitle(), r.RecordID())

	switch r := r.(type) {
	case *model.Source:
		add(r.Publisher, r.URL, r.File, r.Language, string(r.Kind))
		if r.Published != nil {
			year(*r.Published)
		}
	case *model.Company:
		add(r.Aliases...)
		add(string(r.Kind))
		seg.co = append(seg.co, lk.company[r.ID])
		e.provider[i] = lk.company[r.ID]
		for _, p := range r.People {
			add(p.Name + " " + p.Role)
		}
		var latest *model.Footprint
		for k := range r.Footprints {
			fp := &r.Footprints[k]
			year(fp.AsOf)
			if latest == nil || fp.AsOf.Sortable() > latest.AsOf.Sortable() {
				latest = fp
			}
		}
		if latest != nil {
			e.nums[fieldZones-fieldMW][i] = float32(latest.Zones)
			e.nums[fieldRegions-fieldMW][i] = float32(latest.Regions)
		}
	case *model.Place:
		add(r.Aliases...)
		add(r.Code, string(r.Kind))
		place(r.ID)
		if r.Kind == model.PlaceCity {
			place(r.Country)
		}
	case *model.Region:
		e.provider[i] = lk.company[r.Provider]
		if _, ok := lk.company[r.Provider]; !ok {
			e.provider[i] = -1
		}
		add(string(r.Status))
		setStatus(string(r.Status))
		year(r.AsOf)
		z := len(r.ZoneIDs)
		if r.Zones != nil {
			z = *r.Zones
		}
		if r.Zones != nil || len(r.ZoneIDs) > 0 {
			e.nums[fieldZones-fieldMW][i] = float32(z)
		}
	case *model.Zone:
		if reg, ok := e.d.Get(r.Region); ok {
			reg := reg.(*model.Region)
			add(reg.RecordTitle())
			company(reg.Provider)
			if o, ok := lk.company[reg.Provider]; ok {
				e.provider[i] = o
			}
			place(reg.City, reg.Country)
			setStatus(string(reg.Status))
			year(reg.AsOf)
		}
	case *model.Facility:
		add(r.Aliases...)
		if o, ok := lk.company[r.Operator]; ok && r.Operator != "" {
			e.provider[i] = o
		}
		add(r.GPUModel, string(r.Status))
		setStatus(string(r.Status))
		if mw, ok := facilityMW(r); ok {
			e.nums[fieldMW-fieldMW][i] = float32(mw)
		}
		if r.GPUs != nil {
			e.nums[fieldGPUs-fieldMW][i] = float32(*r.GPUs)
		}
		for _, m := range r.Milestones {
			year(m.Date)
		}
		for _, p := range r.Phases {
			if p.Target != nil {
				year(*p.Target)
			}
		}
		// Its own capex, else its investment's (model.Dataset.AmountOf):
		// usd>0 finds what the table and the exports show an amount for.
		if a, ok := e.d.AmountOf(r); ok {
			e.money(i, a.Money, a.At, lk)
		}
	case *model.Investment:
		add(r.Scope, r.Period)
		year(r.Announced)
		if r.Amount != nil {
			e.money(i, *r.Amount, r.Announced, lk)
		}
	case *model.Announcement:
		add(r.Summary, string(r.Kind))
		year(r.Date)
		// Its amount comes in propagate, from those of the records it
		// concerns.
	}
	// A record matches the companies and places it references (model.EachRef
	// says which fields those are). A place links itself and its parents
	// above (an area does not match its countries' names), a zone its
	// region's provider and places.
	if k := r.RecordKind(); k != model.KindPlace && k != model.KindZone {
		model.EachRef(r, func(ref model.Ref) {
			switch ref.To.Kind {
			case model.KindCompany:
				company(ref.ID)
			case model.KindPlace:
				place(ref.ID)
			}
		})
	}
	b := r.RecordBase()
	add(b.Notes)
	for _, c := range b.Conflicts {
		add(c.Summary)
	}
	// Nested evidence often repeats the record's own (a milestone backed by
	// the same sentence); add indexes each distinct text once. Evidence lists
	// shared by the loader are visited once.
	var seen []*model.Evidence
	var quality uint8
	if s, ok := r.(*model.Source); ok {
		quality = qualityBit(s.Quality)
	}
	model.EachEvidence(r, func(ev *model.Evidence) {
		if !slices.Contains(seen, ev) {
			seen = append(seen, ev)
			add(ev.Quote, ev.Translation)
			quality |= lk.quality[ev.Source]
			for _, id := range ev.Cites {
				quality |= lk.quality[id]
			}
		}
	})
	e.quality[i] = quality
	return buf
}

// hasField reports whether text, a run of fields each ending in fieldSep,
// holds field (which ends in fieldSep too).
func hasField(text, field []byte) bool {
	for len(text) >= len(field) {
		if bytes.HasPrefix(text, field) {
			return true
		}
		n := bytes.IndexByte(text, fieldSep)
		if n < 0 {
			return false
		}
		text = text[n+1:]
	}
	return false
}

// dateYear reads the year of a date value without parsing the rest: the
// engine asks it for millions of dates.
func dateYear(v string) int {
	if len(v) < 4 {
		return 0
	}
	y := 0
	for _, c := range []byte(v[:4]) {
		if c < '0' || c > '9' {
			return 0
		}
		y = y*10 + int(c-'0')
	}
	return y
}

func facilityMW(f *model.Facility) (float64, bool) {
	if f.PowerMW != nil {
		return *f.PowerMW, true
	}
	if len(f.Phases) == 0 {
		return 0, false
	}
	var sum float64
	for _, p := range f.Phases {
		sum += p.PowerMW
	}
	return sum, true
}

// money stores m converted to USD, EUR and CNY at the rate closest to when.
// Conversion factors are cached by currency and date: a million records use
// a few thousand distinct dates.
func (e *Engine) money(i int, m model.Money, when model.Date, lk *lookups) {
	for f, cur := range map[field]string{fieldUSD: "USD", fieldEUR: "EUR", fieldCNY: "CNY"} {
		k := convKey{m.Currency, cur, when.Value}
		lk.convMu.Lock()
		factor, ok := lk.conv[k]
		lk.convMu.Unlock()
		if !ok {
			c, err := e.d.Convert(model.Money{Amount: 1, Currency: m.Currency}, cur, when)
			factor = math.NaN()
			if err == nil {
				factor = c.To.Amount
			}
			lk.convMu.Lock()
			lk.conv[k] = factor
			lk.convMu.Unlock()
		}
		e.nums[f-fieldMW][i] = float32(m.Amount * factor)
	}
}

// propagate gives an announcement the largest power and GPU count of the
// records it concerns, so "mw>=100 kind:announcement" lists the news of big
// sites, and the amount model.Dataset.AmountOf gives it.
func (e *Engine) propagate(lk *lookups) {
	idx := make(map[model.Record]int32, len(e.recs))
	for i, r := range e.recs {
		switch r.(type) {
		case *model.Facility, *model.Investment:
			idx[r] = int32(i)
		}
	}
	for i, r := range e.recs {
		a, ok := r.(*model.Announcement)
		if !ok {
			continue
		}
		for _, id := range a.Records {
			t, ok := e.d.Get(id)
			if !ok {
				continue
			}
			j, ok := idx[t]
			if !ok {
				continue
			}
			for f := range e.nums[:fieldUSD-fieldMW] {
				v := e.nums[f][j]
				if !math.IsNaN(float64(v)) && (math.IsNaN(float64(e.nums[f][i])) || v > e.nums[f][i]) {
					e.nums[f][i] = v
				}
			}
			// The amount is model.Dataset.AmountOf's: the largest in USD of
			// the concerned records' amounts, all its currencies from that
			// one record. Their amounts are computed already (record), so
			// the rule is applied to them rather than asked of the dataset
			// again, which converted every candidate once more.
			usd := int(fieldUSD - fieldMW)
			if v := e.nums[usd][j]; !math.IsNaN(float64(v)) && (math.IsNaN(float64(e.nums[usd][i])) || v > e.nums[usd][i]) {
				for f := usd; f < numFields; f++ {
					e.nums[f][i] = e.nums[f][j]
				}
			}
		}
	}
}

// qualities are the grades in the order of the engine's quality bits.
// Read-only.
var qualities = [...]model.SourceQuality{model.QualityPrimary, model.QualitySecondary, model.QualityThirdParty}

func qualityBit(q model.SourceQuality) uint8 {
	for i, v := range qualities {
		if q == v {
			return 1 << uint(i)
		}
	}
	return 0
}
