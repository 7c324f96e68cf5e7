// Package synth generates synthetic dcx datasets of any size: realistic
// names, places, amounts and dates, every reference valid and every record
// backed by evidence from a synthetic source. The same size and seed always
// give the same dataset.
//
// Every record is a pure function of (seed, kind, index): its own small
// random generator is seeded from them, and references to other records are
// drawn as indices whose ids are computed without generating the target. So
// Write can stream a million records without holding them, and Generate and
// Write produce the same dataset by construction.
package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// layout is how many records of each kind a dataset of n records holds.
// Kinds are filled in dependency order (sources, places, companies, regions
// with their zones, facilities, investments, announcements) so a tiny n
// truncates the tail and every reference still resolves.
type layout struct {
	seed                                          int64
	sources, countries, areas, cities, companies  int
	regions                                       int
	lastZones                                     int // zone count of the last region, when the budget cut it
	facilities, investments, announcements, zones int
}

func newLayout(n int, seed int64) layout {
	l := layout{seed: seed, lastZones: -1}
	rem := max(n, 0)
	take := func(want int) int {
		k := min(max(want, 0), rem)
		rem -= k
		return k
	}
	l.sources = take(max(1, n/25))
	l.countries = take(len(countries))
	l.areas = take(len(areas))
	l.cities = take(len(cities))
	l.companies = take(len(realCompanies) + n/50)
	if l.companies > 0 {
		want := max(1, n/40)
		for j := 0; j < want && rem > 0; j++ {
			z := l.zoneCount(j)
			if 1+z > rem {
				l.lastZones = rem - 1
				z = rem - 1
			}
			rem -= 1 + z
			l.zones += z
			l.regions++
		}
	}
	l.facilities = take(n * 30 / 100)
	l.investments = take(n * 15 / 100)
	l.announcements = take(rem)
	return l
}

// Kind tags for the per-record generators.
const (
	tSource = iota + 1
	tPlace
	tCompany
	tRegion
	tFacility
	tInvestment
	tAnnouncement
	tRate
	tZones
	tCity
)

func (l layout) rng(kind, j int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(l.seed), uint64(kind)<<48|uint64(j)))
}

func (l layout) zoneCount(j int) int {
	if j == 0 {
		return 4
	}
	return l.rng(tZones, j).IntN(4)
}

func (l layout) regionZones(j int) int {
	if j == l.regions-1 && l.lastZones >= 0 {
		return l.lastZones
	}
	return l.zoneCount(j)
}

// Ids. Fixed places and well-known companies get readable slugs; bulk
// records get a kind prefix and their index, which keeps ids unique and
// computable from an index alone.
func sourceID(j int) string       { return "src-" + strconv.Itoa(j) }
func facilityID(j int) string     { return "fac-" + strconv.Itoa(j) }
func investmentID(j int) string   { return "inv-" + strconv.Itoa(j) }
func announcementID(j int) string { return "ann-" + strconv.Itoa(j) }
func countryID(c int) string      { return strings.ToLower(countries[c].code) }
func areaID(a int) string         { return "area-" + areas[a].code }
func cityID(c int) string         { return slug(cities[c].name) }

func (l layout) companyID(j int) string {
	if j < len(realCompanies) {
		return realCompanies[j].id
	}
	return slug(l.companyName(j)) + "-" + strconv.Itoa(j)
}

func (l layout) companyName(j int) string {
	if j < len(realCompanies) {
		return realCompanies[j].name
	}
	r := l.rng(tCompany, j)
	return nameRoots[r.IntN(len(nameRoots))] + " " + nameSuffixes[r.IntN(len(nameSuffixes))]
}

// isProvider says whether company j runs cloud regions; invented companies
// are providers one time in five.
func (l layout) isProvider(j int) bool {
	if j < len(realCompanies) {
		return realCompanies[j].provider
	}
	return j%5 == 0
}

func (l layout) regionID(j int) string {
	p := l.regionProvider(j)
	return l.companyID(p) + "-" + l.regionCode(j)
}

// regionProvider picks a provider: the big real ones most of the time.
func (l layout) regionProvider(j int) int {
	if j == 0 && l.companies > 1 {
		return 1 // aws
	}
	r := l.rng(tRegion, j)
	var real []int
	for i := 0; i < min(len(realCompanies), l.companies); i++ {
		if realCompanies[i].provider {
			real = append(real, i)
		}
	}
	if r.IntN(10) < 7 && len(real) > 0 {
		return real[r.IntN(len(real))]
	}
	p := r.IntN(l.companies)
	for k := 0; k < 8 && !l.isProvider(p); k++ {
		p = r.IntN(l.companies)
	}
	return p
}

func (l layout) regionCity(j int) int {
	if j == 0 {
		return 0 // Seoul
	}
	return l.rng(tCity, j).IntN(l.cities)
}

func (l layout) regionCode(j int) string {
	c := cities[l.regionCity(j)]
	return strings.ToLower(c.country) + "-" + slug(c.name) + "-" + strconv.Itoa(j+1)
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case strings.ContainsRune("àáâãäå", r):
			b.WriteByte('a')
			dash = false
		case strings.ContainsRune("èéêë", r):
			b.WriteByte('e')
			dash = false
		case strings.ContainsRune("ìíîï", r):
			b.WriteByte('i')
			dash = false
		case strings.ContainsRune("òóôõöø", r):
			b.WriteByte('o')
			dash = false
		case strings.ContainsRune("ùúûü", r):
			b.WriteByte('u')
			dash = false
		case r == 'ñ':
			b.WriteByte('n')
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func countryIndex(code string) int {
	for i, c := range countries {
		if c.code == code {
			return i
		}
	}
	return 0
}

// date draws a date between 2016 and 2027 at a random precision.
func date(r *rand.Rand) model.Date {
	y := 2016 + r.IntN(12)
	m := 1 + r.IntN(12)
	d := 1 + r.IntN(28)
	switch p := r.IntN(100); {
	case p < 70:
		return model.Date{Value: fmt.Sprintf("%04d-%02d-%02d", y, m, d), Precision: model.PrecisionDay}
	case p < 90:
		return model.Date{Value: fmt.Sprintf("%04d-%02d", y, m), Precision: model.PrecisionMonth}
	case p < 97:
		return model.Date{Value: fmt.Sprintf("%04d-Q%d", y, (m-1)/3+1), Precision: model.PrecisionQuarter}
	}
	return model.Date{Value: strconv.Itoa(y), Precision: model.PrecisionYear}
}

func (l layout) sourceLang(s int) string {
	if s == 0 {
		return "en"
	}
	return publishers[l.rng(tSource, s).IntN(len(publishers))].lang
}

// quote renders one claim in a source's language, with its English
// translation.
type claim struct{ en, it, de, fr string }

func (l layout) evidence(r *rand.Rand, c claim, supports ...string) []model.Evidence {
	s := r.IntN(l.sources)
	ev := model.Evidence{Source: sourceID(s), Translation: c.en, Supports: supports}
	switch l.sourceLang(s) {
	case "it":
		ev.Quote = c.it
	case "de":
		ev.Quote = c.de
	case "fr":
		ev.Quote = c.fr
	default:
		ev.Quote = c.en
	}
	return []model.Evidence{ev}
}

func (l layout) source(j int) model.Source {
	if j == 0 {
		return model.Source{
			Base:  model.Base{ID: sourceID(0), Notes: "Synthetic dataset generated by dcx gen; no fact in it is real."},
			Title: "Synthetic reference exchange rates", Publisher: "dcx", Language: "en",
			Kind: model.SourceOfficialDoc, Published: &model.Date{Value: "2016-01-01", Precision: model.PrecisionDay},
		}
	}
	r := l.rng(tSource, j)
	p := publishers[r.IntN(len(publishers))]
	d := date(r)
	kinds := []model.SourceKind{model.SourceNewsArticle, model.SourceNewsArticle, model.SourceNewsArticle, model.SourcePressRelease, model.SourceOfficialDoc}
	subject := l.companyName(r.IntN(max(l.companies, 1)))
	if l.companies == 0 {
		subject = "cloud"
	}
	return model.Source{
		Base:      model.Base{ID: sourceID(j)},
		Title:     fmt.Sprintf("%s %s in %s", subject, headlineWords[r.IntN(len(headlineWords))], cities[r.IntN(len(cities))].name),
		Publisher: p.name,
		URL:       fmt.Sprintf("https://%s.example/%s/%d", p.slug, strings.ReplaceAll(d.Value, "-", "/"), j),
		Language:  p.lang,
		Published: &d,
		Kind:      kinds[r.IntN(len(kinds))],
	}
}

// place returns place j: countries, then areas, then cities.
func (l layout) place(j int) model.Place {
	r := l.rng(tPlace, j)
	switch {
	case j < l.countries:
		c := countries[j]
		p := model.Place{Base: model.Base{ID: countryID(j)}, Name: c.name, Kind: model.PlaceCountry, Code: c.code}
		if c.alias != "" {
			p.Aliases = []string{c.alias}
		}
		p.Evidence = l.evidence(r, claim{
			en: c.name + " is a growing data center market",
			it: c.name + " è un mercato dei data center in crescita",
			de: c.name + " ist ein wachsender Rechenzentrumsmarkt",
			fr: c.name + " est un marché des centres de données en croissance",
		}, "name")
		return p
	case j < l.countries+l.areas:
		a := areas[j-l.countries]
		p := model.Place{Base: model.Base{ID: areaID(j - l.countries)}, Name: a.name, Kind: model.PlaceArea, Code: a.code}
		for _, cc := range a.contains {
			p.Contains = append(p.Contains, countryID(countryIndex(cc)))
		}
		p.Evidence = l.evidence(r, claim{
			en: "data center demand in " + a.name + " keeps rising",
			it: "la domanda di data center in " + a.name + " continua a crescere",
			de: "die Nachfrage nach Rechenzentren in " + a.name + " steigt weiter",
			fr: "la demande de centres de données en " + a.name + " continue de croître",
		}, "contains")
		return p
	}
	c := cities[j-l.countries-l.areas]
	p := model.Place{
		Base: model.Base{ID: cityID(j - l.countries - l.areas)}, Name: c.name, Kind: model.PlaceCity,
		Country: countryID(countryIndex(c.country)), Coords: &model.Coords{Lat: c.lat, Lon: c.lon},
	}
	p.Evidence = l.evidence(r, claim{
		en: "new capacity is coming to " + c.name,
		it: "nuova capacità in arrivo a " + c.name,
		de: "neue Kapazität entsteht in " + c.name,
		fr: "de nouvelles capacités arrivent à " + c.name,
	}, "name")
	return p
}

func (l layout) company(j int) model.Company {
	r := l.rng(tCompany, j)
	if j < len(realCompanies) {
		rc := realCompanies[j]
		c := model.Company{Base: model.Base{ID: rc.id}, Name: rc.name, Kind: model.CompanyKind(rc.kind), Country: countryID(countryIndex(rc.country)), Parent: rc.parent}
		if rc.alias != "" {
			c.Aliases = []string{rc.alias}
		}
		c.Evidence = l.evidence(r, claim{
			en: rc.name + " operates data centers worldwide",
			it: rc.name + " gestisce data center in tutto il mondo",
			de: rc.name + " betreibt Rechenzentren weltweit",
			fr: rc.name + " exploite des centres de données dans le monde entier",
		}, "name", "kind")
		if rc.provider {
			regions := 10 + r.IntN(30)
			zones := regions*3 - r.IntN(regions)
			c.Footprints = []model.Footprint{{AsOf: date(r), Regions: regions, Zones: zones, Evidence: l.evidence(r, claim{
				en: fmt.Sprintf("%s runs %d regions and %d availability zones", rc.name, regions, zones),
				it: fmt.Sprintf("%s gestisce %d regioni e %d zone di disponibilità", rc.name, regions, zones),
				de: fmt.Sprintf("%s betreibt %d Regionen und %d Verfügbarkeitszonen", rc.name, regions, zones),
				fr: fmt.Sprintf("%s exploite %d régions et %d zones de disponibilité", rc.name, regions, zones),
			}, "footprints")}}
		}
		return c
	}
	name := l.companyName(j)
	r.IntN(len(nameRoots)) // keep the stream aligned with companyName's draws
	r.IntN(len(nameSuffixes))
	kind := companyKinds[r.IntN(len(companyKinds))]
	if l.isProvider(j) {
		kind = "cloud-provider"
	}
	ci := r.IntN(len(countries))
	c := model.Company{Base: model.Base{ID: l.companyID(j)}, Name: name, Kind: model.CompanyKind(kind), Country: countryID(ci)}
	if r.IntN(4) == 0 {
		c.Parent = l.companyID(r.IntN(j)) // an earlier company: no loops
	}
	if r.IntN(3) == 0 {
		c.People = []model.Person{{Name: personName(r), Role: "CEO"}}
	}
	c.Evidence = l.evidence(r, claim{
		en: name + " is based in " + countries[ci].name,
		it: name + " ha sede in " + countries[ci].name,
		de: name + " hat seinen Sitz in " + countries[ci].name,
		fr: name + " est basée en " + countries[ci].name,
	}, "name", "country")
	return c
}

func personName(r *rand.Rand) string {
	first := []string{"Min-jun", "Giulia", "Lukas", "Aiko", "Wei", "Priya", "Omar", "Camille", "Diego", "Sara"}
	last := []string{"Kim", "Rossi", "Müller", "Tanaka", "Zhang", "Sharma", "Haddad", "Dubois", "García", "Lee"}
	return first[r.IntN(len(first))] + " " + last[r.IntN(len(last))]
}

func (l layout) region(j int) model.Region {
	r := l.rng(tRegion, j)
	p := l.regionProvider(j)
	ci := l.regionCity(j)
	c := cities[ci]
	code := l.regionCode(j)
	nz := l.regionZones(j)
	reg := model.Region{
		Base: model.Base{ID: l.regionID(j)}, Provider: l.companyID(p), Code: code,
		Name: c.name + " " + strconv.Itoa(j+1), City: cityID(ci), Country: countryID(countryIndex(c.country)),
		Coords: &model.Coords{Lat: c.lat, Lon: c.lon}, AsOf: date(r),
	}
	if j == 0 {
		reg.Code, reg.Name = "ap-northeast-2", "Asia Pacific (Seoul)"
		reg.ID = "aws-ap-northeast-2"
	}
	zones := nz + r.IntN(2)
	reg.Zones = &zones
	for z := 0; z < nz; z++ {
		reg.ZoneIDs = append(reg.ZoneIDs, reg.Code+string(rune('a'+z)))
	}
	statuses := []model.RegionStatus{model.RegionActive, model.RegionActive, model.RegionActive, model.RegionPlanned, model.RegionRestricted, model.RegionDecommissioned}
	reg.Status = statuses[r.IntN(len(statuses))]
	name := l.companyName(p)
	reg.Evidence = l.evidence(r, claim{
		en: fmt.Sprintf("%s opened its %s region with %d availability zones", name, c.name, zones),
		it: fmt.Sprintf("%s ha aperto la sua regione di %s con %d zone di disponibilità", name, c.name, zones),
		de: fmt.Sprintf("%s hat seine Region %s mit %d Verfügbarkeitszonen eröffnet", name, c.name, zones),
		fr: fmt.Sprintf("%s a ouvert sa région de %s avec %d zones de disponibilité", name, c.name, zones),
	}, "zones", "status")
	return reg
}

// facility j. Facility 0 is the AI data center SK and AWS build in Ulsan, so
// the benchmark query "ulsan aws" matches at every size.
func (l layout) facility(j int) model.Facility {
	r := l.rng(tFacility, j)
	ci := r.IntN(l.cities)
	op := r.IntN(l.companies)
	if r.IntN(3) == 0 {
		op = r.IntN(min(len(realCompanies), l.companies))
	}
	var partners []string
	if j == 0 {
		ci, op = 1, min(9, l.companies-1) // Ulsan, SK Group
		partners = []string{l.companyID(min(1, l.companies-1))}
	} else if r.IntN(3) == 0 {
		partners = []string{l.companyID(r.IntN(l.companies))}
	}
	c := cities[ci]
	opName := l.companyName(op)
	word := facilityWords[r.IntN(len(facilityWords))]
	f := model.Facility{
		Base:     model.Base{ID: facilityID(j)},
		Name:     fmt.Sprintf("%s %s %s", shortName(opName), c.name, word),
		Operator: l.companyID(op), City: cityID(ci), Country: countryID(countryIndex(c.country)),
		Coords: &model.Coords{Lat: c.lat + r.Float64()*0.2 - 0.1, Lon: c.lon + r.Float64()*0.2 - 0.1},
	}
	if len(partners) > 0 && partners[0] != f.Operator {
		f.Partners = partners
	}
	if j == 0 {
		f.Name = "SK AWS AI Zone Ulsan"
	}
	mw := math.Round(math.Exp(math.Log(5)+r.Float64()*math.Log(200))*10) / 10 // 5 to 1000 MW, log-uniform
	f.PowerMW = &mw
	if strings.Contains(word, "AI") || r.IntN(4) == 0 {
		g := 1000 * (1 + r.IntN(100))
		f.GPUs = &g
		f.GPUModel = gpuModels[r.IntN(len(gpuModels))]
	}
	statuses := []model.FacilityStatus{model.FacilityAnnounced, model.FacilityPlanned, model.FacilityConstruction, model.FacilityOperational, model.FacilityCancelled}
	f.Status = statuses[r.IntN(len(statuses))]
	claimMW := claim{
		en: fmt.Sprintf("%s plans a %g MW data center in %s", opName, mw, c.name),
		it: fmt.Sprintf("%s realizzerà un data center da %g MW a %s", opName, mw, c.name),
		de: fmt.Sprintf("%s plant ein Rechenzentrum mit %g MW in %s", opName, mw, c.name),
		fr: fmt.Sprintf("%s prévoit un centre de données de %g MW à %s", opName, mw, c.name),
	}
	f.Evidence = l.evidence(r, claimMW, "power_mw", "city", "operator")
	announced := date(r)
	f.Milestones = []model.Milestone{{Kind: model.MilestoneAnnounced, Date: announced, Evidence: f.Evidence}}
	if r.IntN(3) == 0 {
		first := math.Round(mw*0.4*10) / 10
		t := model.Date{Value: strconv.Itoa(announced.Year() + 1 + r.IntN(3)), Precision: model.PrecisionYear, Qualifier: "by"}
		f.Phases = []model.Phase{
			{Name: "Phase 1", PowerMW: first, Target: &t, Evidence: f.Evidence},
			{Name: "Phase 2", PowerMW: math.Round((mw-first)*10) / 10, Evidence: f.Evidence},
		}
	}
	if r.IntN(3) == 0 {
		m := l.money(r, mw*1e7)
		f.Capex = &m
	}
	if l.investments > 0 && r.IntN(4) == 0 {
		f.Investment = investmentID(r.IntN(l.investments))
	}
	return f
}

// shortName drops the suffix of an invented name: "Kaya Compute" → "Kaya".
func shortName(name string) string {
	for _, s := range nameSuffixes {
		if strings.HasSuffix(name, " "+s) {
			return strings.TrimSuffix(name, " "+s)
		}
	}
	return name
}

// money draws a currency and converts a USD figure into it, rounded to three
// significant digits as news reports round.
func (l layout) money(r *rand.Rand, usd float64) model.Money {
	total := 0
	for _, c := range currencies {
		total += c.weight
	}
	k := r.IntN(total)
	cur := currencies[0]
	for _, c := range currencies {
		if k < c.weight {
			cur = c
			break
		}
		k -= c.weight
	}
	v := usd * cur.perUSD
	if v > 0 {
		scale := math.Pow(10, math.Floor(math.Log10(v))-2)
		v = math.Round(v/scale) * scale
	}
	m := model.Money{Amount: v, Currency: cur.code}
	switch r.IntN(6) {
	case 0:
		m.Qualifier = "about"
	case 1:
		m.Qualifier = "more than"
	case 2:
		m.Qualifier = "up to"
	}
	return m
}

func (l layout) investment(j int) model.Investment {
	r := l.rng(tInvestment, j)
	inv := r.IntN(l.companies)
	ci := r.IntN(l.cities)
	c := cities[ci]
	usd := math.Exp(math.Log(5e7) + r.Float64()*math.Log(2000)) // $50 m to $100 bn
	amount := l.money(r, usd)
	name := l.companyName(inv)
	years := 1 + r.IntN(5)
	in := model.Investment{
		Base:     model.Base{ID: investmentID(j)},
		Title:    fmt.Sprintf("%s %s investment in %s", name, amount.String(), countries[countryIndex(c.country)].name),
		Investor: l.companyID(inv), Amount: &amount,
		Period: fmt.Sprintf("%d years", years), PeriodMonths: 12 * years,
		Scope:  "cloud and AI infrastructure",
		Places: []string{countryID(countryIndex(c.country)), cityID(ci)}, Announced: date(r),
	}
	amt := amount.String()
	cl := claim{
		en: fmt.Sprintf("%s will invest %s in cloud and AI infrastructure in %s", name, amt, c.name),
		it: fmt.Sprintf("%s investirà %s in infrastrutture cloud e IA a %s", name, amt, c.name),
		de: fmt.Sprintf("%s investiert %s in Cloud- und KI-Infrastruktur in %s", name, amt, c.name),
		fr: fmt.Sprintf("%s investira %s dans le cloud et l'IA à %s", name, amt, c.name),
	}
	in.Evidence = l.evidence(r, cl, "amount", "investor")
	in.Reports = []model.Report{{Amount: amount, Evidence: in.Evidence}}
	if amount.Currency != "USD" && r.IntN(2) == 0 {
		// A second report in dollars, at a slightly different implied rate,
		// as two newspapers converting on different days would give.
		conv := model.Money{Amount: math.Round(usd*(0.97+r.Float64()*0.06)/1e6) * 1e6, Currency: "USD", Qualifier: "about"}
		s := conv.String()
		in.Reports = append(in.Reports, model.Report{Amount: conv, Evidence: l.evidence(r, claim{
			en: fmt.Sprintf("%s plans to spend %s", name, s),
			it: fmt.Sprintf("%s prevede di spendere %s", name, s),
			de: fmt.Sprintf("%s will %s ausgeben", name, s),
			fr: fmt.Sprintf("%s prévoit de dépenser %s", name, s),
		}, "amount")})
	}
	return in
}

func (l layout) announcement(j int) model.Announcement {
	r := l.rng(tAnnouncement, j)
	a := model.Announcement{Base: model.Base{ID: announcementID(j)}, Date: date(r)}
	switch k := r.IntN(10); {
	case (k < 5 || j == 0) && l.facilities > 0:
		fi := r.IntN(l.facilities)
		if j == 0 {
			fi = 0
		}
		f := l.facility(fi)
		opName := l.companyName(l.companyIndexOf(f.Operator, fi))
		c := l.placeName(f.City)
		a.Kind = model.AnnFacility
		a.Headline = fmt.Sprintf("%s announces %g MW data center in %s", opName, *f.PowerMW, c)
		a.Summary = fmt.Sprintf("%s is building %s, a %g MW site in %s; status: %s.", opName, f.Name, *f.PowerMW, c, f.Status)
		a.Companies = append([]string{f.Operator}, f.Partners...)
		a.Places = []string{f.City}
		a.Records = []string{f.ID}
		a.Date = f.Milestones[0].Date
	case k < 8 && l.investments > 0:
		in := l.investment(r.IntN(l.investments))
		name := l.companyNameByID(in.Investor)
		a.Kind = model.AnnInvestment
		a.Headline = fmt.Sprintf("%s commits %s to cloud expansion", name, in.Amount.String())
		a.Summary = fmt.Sprintf("%s will invest %s over %s in %s.", name, in.Amount.String(), in.Period, in.Scope)
		a.Companies = []string{in.Investor}
		a.Places = in.Places
		a.Records = []string{in.ID}
		a.Date = in.Announced
	case k < 9 && l.regions > 0:
		ri := r.IntN(l.regions)
		reg := l.region(ri)
		name := l.companyNameByID(reg.Provider)
		a.Kind = model.AnnExpansion
		a.Headline = fmt.Sprintf("%s opens cloud region in %s", name, l.placeName(reg.City))
		a.Summary = fmt.Sprintf("%s launched %s (%s).", name, reg.Name, reg.Code)
		a.Companies = []string{reg.Provider}
		a.Places = []string{reg.City}
		a.Records = []string{reg.ID}
	default:
		x, y := r.IntN(l.companies), r.IntN(l.companies)
		a.Kind = model.AnnPartnership
		a.Headline = fmt.Sprintf("%s and %s %s on AI infrastructure", l.companyName(x), l.companyName(y), headlineWords[r.IntN(len(headlineWords))])
		a.Summary = "The companies agreed to cooperate on data centers and AI services."
		a.Companies = []string{l.companyID(x)}
		if y != x {
			a.Companies = append(a.Companies, l.companyID(y))
		}
	}
	a.Evidence = l.evidence(r, claim{en: a.Headline, it: a.Headline, de: a.Headline, fr: a.Headline}, "headline")
	return a
}

// companyIndexOf maps a facility's operator id back to its index; only used
// for names, so it recomputes the draw instead of keeping a map.
func (l layout) companyIndexOf(id string, _ int) int {
	for i, rc := range realCompanies {
		if rc.id == id {
			return i
		}
	}
	if k := strings.LastIndexByte(id, '-'); k >= 0 {
		if n, err := strconv.Atoi(id[k+1:]); err == nil {
			return n
		}
	}
	return 0
}

func (l layout) companyNameByID(id string) string { return l.companyName(l.companyIndexOf(id, 0)) }

func (l layout) placeName(id string) string {
	for _, c := range cities {
		if slug(c.name) == id {
			return c.name
		}
	}
	return id
}

// rates are reference rates against USD twice a year, 2016 to 2027, with a
// deterministic drift.
func (l layout) rates() []model.Rate {
	var out []model.Rate
	if l.sources == 0 {
		return nil
	}
	ev := []model.Evidence{{Source: sourceID(0), Quote: "synthetic reference rate", Translation: "synthetic reference rate", Supports: []string{"value"}}}
	k := 0
	for y := 2016; y <= 2027; y++ {
		for _, half := range []string{"-01-02", "-07-01"} {
			r := l.rng(tRate, k)
			k++
			for _, c := range currencies[1:] {
				v := c.perUSD * (0.92 + r.Float64()*0.16)
				v = math.Round(v*1e4) / 1e4
				out = append(out, model.Rate{Base: "USD", Quote: c.code, Value: v, Date: model.Date{Value: strconv.Itoa(y) + half, Precision: model.PrecisionDay}, Origin: model.RateReference, Evidence: ev})
			}
		}
	}
	return out
}

// Generate returns a synthetic dataset of n records (zones, derived from
// regions, included), not yet built.
func Generate(n int, seed int64) *model.Dataset {
	l := newLayout(n, seed)
	ds := &model.Dataset{}
	for j := 0; j < l.sources; j++ {
		ds.Sources = append(ds.Sources, l.source(j))
	}
	for j := 0; j < l.countries+l.areas+l.cities; j++ {
		ds.Places = append(ds.Places, l.place(j))
	}
	for j := 0; j < l.companies; j++ {
		ds.Companies = append(ds.Companies, l.company(j))
	}
	for j := 0; j < l.regions; j++ {
		ds.Regions = append(ds.Regions, l.region(j))
	}
	for j := 0; j < l.facilities; j++ {
		ds.Facilities = append(ds.Facilities, l.facility(j))
	}
	for j := 0; j < l.investments; j++ {
		ds.Investments = append(ds.Investments, l.investment(j))
	}
	for j := 0; j < l.announcements; j++ {
		ds.Announcements = append(ds.Announcements, l.announcement(j))
	}
	ds.Rates = l.rates()
	return ds
}

// Write streams the dataset Generate(n, seed) returns as one dataset JSON
// file, one record at a time.
func Write(w io.Writer, n int, seed int64) error {
	l := newLayout(n, seed)
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	first := true
	section := func(key string, count int, rec func(j int) any) error {
		if count == 0 {
			return nil
		}
		sep := ",\n"
		if first {
			sep = ""
			first = false
		}
		if _, err := fmt.Fprintf(bw, "%s%q: [\n", sep, key); err != nil {
			return err
		}
		for j := 0; j < count; j++ {
			if j > 0 {
				if err := bw.WriteByte(','); err != nil {
					return err
				}
			}
			if err := enc.Encode(rec(j)); err != nil {
				return fmt.Errorf("synth: %s[%d]: %w", key, j, err)
			}
		}
		_, err := bw.WriteString("]")
		return err
	}
	if _, err := bw.WriteString("{\n"); err != nil {
		return err
	}
	rates := l.rates()
	for _, s := range []struct {
		key   string
		count int
		rec   func(j int) any
	}{
		{"sources", l.sources, func(j int) any { v := l.source(j); return &v }},
		{"companies", l.companies, func(j int) any { v := l.company(j); return &v }},
		{"places", l.countries + l.areas + l.cities, func(j int) any { v := l.place(j); return &v }},
		{"regions", l.regions, func(j int) any { v := l.region(j); return &v }},
		{"facilities", l.facilities, func(j int) any { v := l.facility(j); return &v }},
		{"investments", l.investments, func(j int) any { v := l.investment(j); return &v }},
		{"announcements", l.announcements, func(j int) any { v := l.announcement(j); return &v }},
		{"rates", len(rates), func(j int) any { return &rates[j] }},
	} {
		if err := section(s.key, s.count, s.rec); err != nil {
			return err
		}
	}
	if _, err := bw.WriteString("\n}\n"); err != nil {
		return err
	}
	return bw.Flush()
}
