package notes

import (
	"regexp"
	"slices"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// companyIDs gives the id of a Companies-table name where the slug of the
// name would not do: the same company under another name in another file or
// in the hand-written dataset, or a name too long to be an id.
var companyIDs = map[string]string{
	"SoftBank Group": "softbank", "Alibaba Cloud": "alibaba-cloud", "SK Telecom": "sk-telecom", "Univa": "univa",
	"Brookfield Asset Management": "brookfield", "Nebius Group": "nebius", "Nebius": "nebius",
	"Entergy (Entergy Louisiana, Entergy Arkansas)": "entergy", "Foxconn (Hon Hai)": "foxconn",
	"ByteDance (TikTok)": "bytedance", "Reliance Industries / Reliance Intelligence": "reliance-industries",
	"Bharti Airtel (Nxtra Data)": "bharti-airtel", "Economic Development Board (EDB) / IMDA": "singapore-edb",
	"BDx Data Centers / BDx Indonesia": "bdx", "European Investment Bank (EIB) / EIF": "eib",
	"Equinix (formerly MainOne in Nigeria)":                     "equinix",
	"Create Capital Vietnam / HaimakerAI (Vietnam Data Gen JV)": "vietnam-data-gen",
	"Stargate (Stargate LLC joint venture)":                     "stargate", "NIPSCO (with NIPSCO Generation LLC)": "nipsco",
	"TPG (TPG Rise Climate)": "tpg", "KT Corp.": "kt", "National Data Administration (China)": "china-nda",
	"Ministry of Science and ICT (MSIT)": "korea-msit", "Thailand Board of Investment (BOI)": "thailand-boi",
	"Public Investment Fund (PIF)": "pif", "Qatar Investment Authority (QIA)": "qia",
	"Andhra Pradesh Economic Development Board (APEDB)": "apedb", "Bridge Data Centres (BDC)": "bridge-data-centres",
	"Accelerated Infrastructure Capital (AIC)": "aic", "Kinh Bac City Development (KBC)": "kinh-bac-city",
	"HyperVault AI Data Centre Ltd": "hypervault", "Løvenskiold-Fossum Kraft Drift": "lovenskiold-fossum",
	"Samsung C&T": "samsung-c-t", "Global Villacreces S.L.": "global-villacreces",
}

// CompanyID is the id a Companies-table name becomes.
func CompanyID(name string) string {
	if id, ok := companyIDs[name]; ok {
		return id
	}
	return slug(parenRe.ReplaceAllString(name, ""))
}

var parenRe = regexp.MustCompile(`\(.*?\)`)

// companyKind maps the notes' kind cell ("developer / neocloud", "other:
// construction contractor") by its first word.
func companyKind(cell string) model.CompanyKind {
	w := strings.ToLower(strings.TrimSpace(cell))
	if i := strings.IndexAny(w, " /:(,"); i > 0 {
		w = w[:i]
	}
	switch w {
	case "investor":
		return model.CompanyInvestor
	case "developer":
		return model.CompanyDeveloper
	case "utility":
		return model.CompanyUtility
	case "neocloud":
		return model.CompanyNeocloud
	case "ai-lab":
		return model.CompanyAILab
	case "hyperscaler":
		return model.CompanyCloudProvider
	case "telecom":
		return model.CompanyTelecom
	case "government":
		return model.CompanyGovernment
	case "chipmaker":
		return model.CompanyChipDesigner
	}
	return model.CompanyOther
}

var isoRe = regexp.MustCompile(`^([A-Z]{2})\b`)

// companyTable makes a record of every row of the Companies table; a
// company in several documents is one record with each row as evidence.
func (b *builder) companyTable(d *Doc) {
	t := d.Tables["Companies"]
	if t == nil {
		b.bad("%s: no Companies table", d.Name)
		return
	}
	cKind, cHQ, cParent := t.Column("kind"), t.Column("HQ"), t.Column("parent")
	for _, r := range t.Rows {
		name := r.Key()
		id := CompanyID(name)
		b.out.Rows[d.Name][name] = id
		if _, ok := b.existing[id]; ok {
			continue // the hand-written record stands; the row only maps to it
		}
		country := ""
		if m := isoRe.FindStringSubmatch(r.Cells[cHQ]); m != nil && m[1] != "EU" {
			country = b.country(d, m[1], r.Cells[cHQ])
		}
		ev := b.ev(d, r.Text, nonEmpty("name", "kind", opt(country != "", "country"), opt(aliasOf(name) != "", "aliases"))...)
		if i, ok := b.compAt[id]; ok {
			c := &b.out.Companies[i]
			c.Evidence = append(c.Evidence, ev)
			if c.Country == "" && country != "" {
				c.Country = country
				c.Evidence[len(c.Evidence)-1].Supports = append(c.Evidence[len(c.Evidence)-1].Supports, "country")
			}
			continue
		}
		c := model.Company{
			Base:    model.Base{ID: id, Evidence: []model.Evidence{ev}},
			Name:    displayName(name),
			Kind:    companyKind(r.Cells[cKind]),
			Country: country,
		}
		if alias := aliasOf(name); alias != "" {
			c.Aliases = []string{alias}
		}
		if country == "" {
			c.NotFound = append(c.NotFound, "country")
		}
		b.companies[id] = true
		b.names[fold(c.Name)] = id
		b.names[fold(name)] = id
		for _, a := range c.Aliases {
			b.names[fold(a)] = id
		}
		// Parents resolve once every company of every document is known.
		c.Notes = parentNote(r.Cells[cParent])
		b.compAt[id] = len(b.out.Companies)
		b.out.Companies = append(b.out.Companies, c)
	}
	for i := range b.out.Companies {
		b.resolveParent(d, &b.out.Companies[i])
	}
}

// displayName drops a trailing parenthesis ("Foxconn (Hon Hai)" → "Foxconn"),
// which aliasOf keeps.
func displayName(name string) string {
	if i := strings.Index(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		return name[:i]
	}
	return name
}

func aliasOf(name string) string {
	if i := strings.Index(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		a := name[i+2 : len(name)-1]
		if !strings.ContainsAny(a, ",;") && !strings.HasPrefix(a, "with ") && !strings.HasPrefix(a, "formerly ") {
			return a
		}
	}
	return ""
}

const parentPrefix = "Parent as the notes give it: "

func parentNote(cell string) string {
	if notFound(cell) || strings.HasPrefix(strings.ToLower(cell), "none") {
		return ""
	}
	return parentPrefix + cell + "."
}

// resolveParent links a company to its parent when the notes name one
// company the dataset knows; otherwise the note keeps what the notes say.
func (b *builder) resolveParent(d *Doc, c *model.Company) {
	if c.Parent != "" || !strings.HasPrefix(c.Notes, parentPrefix) {
		return
	}
	cell := strings.TrimSuffix(strings.TrimPrefix(c.Notes, parentPrefix), ".")
	name := cell
	if i := strings.IndexAny(name, "(;"); i > 0 {
		name = name[:i]
	}
	name = strings.TrimSpace(name)
	for _, try := range []string{name, strings.TrimSuffix(name, " funds"), strings.TrimSuffix(name, " Group")} {
		if id, ok := b.names[fold(try)]; ok && id != c.ID {
			c.Parent = id
			c.Notes = ""
			for i := range c.Evidence {
				if !slices.Contains(c.Evidence[i].Supports, "parent") {
					c.Evidence[i].Supports = append(c.Evidence[i].Supports, "parent")
				}
			}
			return
		}
	}
}

// extraCompanies adds the companies a map names beyond the tables, each
// quoting a row that names it.
func (b *builder) extraCompanies(d *Doc, m Map) {
	for _, x := range m.ExtraCompanies {
		if b.companies[x.ID] {
			continue // named by another map or a table already
		}
		row, ok := b.findRow(d, x.Row)
		if !ok {
			b.bad("%s: extra company %s: row %q not found", d.Name, x.ID, x.Row)
			continue
		}
		if !mentions(row.Text, x.Name) {
			b.bad("%s: extra company %s: row %s does not name %q", d.Name, x.ID, x.Row, x.Name)
		}
		cell := row.Text
		for _, c := range row.Cells {
			if mentions(c, x.Name) {
				cell = c
				break
			}
		}
		country := ""
		if x.Country != "" {
			country = b.country(d, strings.ToUpper(x.Country), cell)
		}
		c := model.Company{
			Base:    model.Base{ID: x.ID, Evidence: []model.Evidence{b.ev(d, cell, nonEmpty("name", opt(country != "", "country"))...)}},
			Name:    x.Name,
			Kind:    x.Kind,
			Country: country,
		}
		if country == "" {
			c.NotFound = []string{"country"}
		}
		b.companies[x.ID] = true
		b.names[fold(x.Name)] = x.ID
		b.compAt[x.ID] = len(b.out.Companies)
		b.out.Companies = append(b.out.Companies, c)
	}
}

// mentions reports whether text names a company: by its name, the part of
// it before a parenthesis, or the short form inside one ("TCS").
func mentions(text, name string) bool {
	t := fold(text)
	tries := []string{name, displayName(name), aliasOf(name)}
	for _, s := range tries {
		if s != "" && strings.Contains(t, fold(s)) {
			return true
		}
	}
	// "Government of Rio Grande do Sul" for a row naming the state: a
	// distinctive word of five letters or more will do.
	for _, w := range strings.Fields(fold(displayName(name))) {
		if len(w) >= 5 && !generic[w] && strings.Contains(t, w) {
			return true
		}
	}
	return false
}

var generic = map[string]bool{"government": true, "holdings": true, "technologies": true, "group": true, "state": true,
	"company": true, "international": true, "capital": true, "energy": true, "ministry": true, "national": true}

func (b *builder) findRow(d *Doc, key string) (Row, bool) {
	for _, t := range d.Tables {
		for _, r := range t.Rows {
			if r.Key() == key {
				return r, true
			}
		}
	}
	return Row{}, false
}

func nonEmpty(ss ...string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func opt(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}
