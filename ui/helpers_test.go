package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
	"github.com/muesli/termenv"
)

func ptrF(f float64) *float64 { return &f }
func ptrI(i int) *int         { return &i }

func ev(src, quote, tr string) []model.Evidence {
	return []model.Evidence{{Source: src, Quote: quote, Translation: tr}}
}

// smallDataset is a hand-made dataset for the update-logic tests: a few
// records of every kind, with relations, a conflict, rates and a wide
// (CJK) name.
func smallDataset(t testing.TB) *model.Dataset {
	t.Helper()
	day := func(v string) model.Date { return model.Date{Value: v} }
	ds := &model.Dataset{
		Sources: []model.Source{
			{Base: model.Base{ID: "src-bbg"}, Title: "Alibaba Cloud to Start Second Data Center in South Korea", Publisher: "Bloomberg", Language: "en", Kind: model.SourceNewsArticle, Published: &model.Date{Value: "2025-06-19"}},
			{Base: model.Base{ID: "src-it"}, Title: "Alibaba accelera espansione AI", Publisher: "Redazione", Language: "it", Kind: model.SourceNewsArticle},
			{Base: model.Base{ID: "src-kh"}, Title: "SK Group and AWS to build Korea's largest AI data center", Publisher: "Korea Herald", Language: "en", Kind: model.SourceNewsArticle, Published: &model.Date{Value: "2025-06-16"}},
		},
		Places: []model.Place{
			{Base: model.Base{ID: "kr"}, Name: "South Korea", Kind: model.PlaceCountry, Code: "KR"},
			{Base: model.Base{ID: "cn"}, Name: "China", Kind: model.PlaceCountry, Code: "CN"},
			{Base: model.Base{ID: "ulsan"}, Name: "Ulsan", Kind: model.PlaceCity, Country: "kr"},
			{Base: model.Base{ID: "seoul"}, Name: "Seoul", Kind: model.PlaceCity, Country: "kr"},
		},
		Companies: []model.Company{
			{Base: model.Base{ID: "alibaba-cloud", Evidence: ev("src-bbg", "Alibaba Cloud", "Alibaba Cloud")}, Name: "Alibaba Cloud", Kind: model.CompanyCloudProvider, Country: "cn",
				Footprints: []model.Footprint{{AsOf: day("2025-06-19"), Regions: 29, Zones: 87, Evidence: ev("src-bbg", "87 zones in 29 regions", "87 zones in 29 regions")}}},
			{Base: model.Base{ID: "skt"}, Name: "SK Telecom", Kind: model.CompanyTelecom, Country: "kr"},
			{Base: model.Base{ID: "aws"}, Name: "Amazon Web Services", Kind: model.CompanyCloudProvider,
				Footprints: []model.Footprint{{AsOf: day("2025-06-01"), Regions: 37, Zones: 117}}},
			{Base: model.Base{ID: "naver"}, Name: "네이버 클라우드", Kind: model.CompanyCloudProvider, Country: "kr"},
		},
		Regions: []model.Region{
			{Base: model.Base{ID: "aws-ap-northeast-2"}, Provider: "aws", Code: "ap-northeast-2", Name: "Asia Pacific (Seoul)", City: "seoul", Country: "kr", Zones: ptrI(4), ZoneIDs: []string{"apne2-az1", "apne2-az2"}, Status: model.RegionActive, AsOf: day("2025-06-01")},
			{Base: model.Base{ID: "alibaba-cn-hangzhou"}, Provider: "alibaba-cloud", Code: "cn-hangzhou", Name: "China (Hangzhou)", Country: "cn", Zones: ptrI(11), Status: model.RegionActive, AsOf: day("2025-06-01")},
		},
		Facilities: []model.Facility{
			{Base: model.Base{ID: "skt-aws-ulsan", Evidence: ev("src-it", "un data center per l'IA da 103 megawatt nella città meridionale di Ulsan", "a 103-megawatt AI data center in the southern city of Ulsan"),
				Conflicts: []model.Conflict{{Field: "phases[0].power_mw", Summary: "phase 1 power differs", Values: []model.ConflictValue{
					{Value: "40 MW", Evidence: ev("src-kh", "40MW", "40MW")}, {Value: "41 MW", Evidence: ev("src-it", "41 MW", "41 MW")}}}}},
				Name: "SK Telecom–AWS Ulsan AI data center", Operator: "skt", Partners: []string{"aws"}, City: "ulsan", Country: "kr",
				PowerMW: ptrF(103), GPUs: ptrI(60000), Status: model.FacilityConstruction,
				Milestones: []model.Milestone{{Kind: model.MilestoneAnnounced, Date: model.Date{Value: "2025-06-16"}},
					{Kind: model.MilestoneConstructionStart, Date: model.Date{Value: "2025-08", AsStated: "Ad agosto di quest'anno", Inferred: true, Basis: "article of Jun 2025"}}},
				Capex: &model.Money{Amount: 7e12, Currency: "KRW", Qualifier: "about"}},
			{Base: model.Base{ID: "alibaba-seoul-2"}, Name: "Alibaba Cloud Seoul DC 2", Operator: "alibaba-cloud", City: "seoul", Country: "kr", PowerMW: ptrF(20), Status: model.FacilityPlanned, Investment: "alibaba-380bn"},
		},
		Investments: []model.Investment{
			{Base: model.Base{ID: "alibaba-380bn", Evidence: ev("src-it", "380 miliardi di yuan", "380 billion yuan")}, Title: "Alibaba AI and cloud infrastructure plan", Investor: "alibaba-cloud",
				Amount: &model.Money{Amount: 380e9, Currency: "CNY", Qualifier: "more than"}, Period: "three years", PeriodMonths: 36, Places: []string{"cn"},
				Announced: model.Date{Value: "2025-02-24"},
				Reports:   []model.Report{{Amount: model.Money{Amount: 52.9e9, Currency: "USD"}, Evidence: ev("src-bbg", "$52.9 billion", "$52.9 billion")}}},
			{Base: model.Base{ID: "sk-ulsan-invest"}, Title: "SK–AWS Ulsan AI data center", Investor: "skt", Amount: &model.Money{Amount: 7e12, Currency: "KRW"}, Announced: model.Date{Value: "2025-06-16"}, Places: []string{"ulsan"}},
		},
		Announcements: []model.Announcement{
			{Base: model.Base{ID: "ann-ulsan"}, Date: day("2025-06-16"), Headline: "SK Group and AWS to build AI data center in Ulsan", Kind: model.AnnFacility, Companies: []string{"skt", "aws"}, Places: []string{"ulsan"}, Records: []string{"skt-aws-ulsan"}},
			{Base: model.Base{ID: "ann-alibaba-kr"}, Date: model.Date{Value: "2025-06-19", Inferred: true, Basis: "Thursday"}, Headline: "Alibaba Cloud to open second data center in South Korea", Kind: model.AnnExpansion, Companies: []string{"alibaba-cloud"}, Places: []string{"kr"}, Records: []string{"alibaba-seoul-2"}},
			{Base: model.Base{ID: "ann-alibaba-380"}, Date: day("2025-02-24"), Headline: "Alibaba commits 380 bn yuan to AI and cloud", Kind: model.AnnInvestment, Companies: []string{"alibaba-cloud"}, Places: []string{"cn"}, Records: []string{"alibaba-380bn"}},
		},
		Rates: []model.Rate{
			{Base: "USD", Quote: "CNY", Value: 7.183, Date: day("2025-06-19"), Origin: model.RateImplied},
			{Base: "EUR", Quote: "USD", Value: 1.088, Date: day("2025-06-19"), Origin: model.RateImplied},
			{Base: "USD", Quote: "KRW", Value: 1380, Date: day("2025-06-16"), Origin: model.RateReference},
		},
	}
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	return ds
}

// asciiRenderer renders without colour, as the golden files do.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(&strings.Builder{})
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

func newTestModel(t testing.TB, ds *model.Dataset, opts Options) *Model {
	t.Helper()
	if opts.Renderer == nil {
		opts.Renderer = asciiRenderer()
	}
	return newTestModelOn(t, newCatalog(search.NewEngine(ds), defaultLimits()), opts)
}

// newTestModelOn opens the app on cat (a test's own limits, or a catalog
// two sessions share).
func newTestModelOn(t testing.TB, cat *Catalog, opts Options) *Model {
	t.Helper()
	if opts.Renderer == nil {
		opts.Renderer = asciiRenderer()
	}
	m, err := New(cat, opts)
	if err != nil {
		t.Fatal(err)
	}
	return m.(*Model)
}

// withLimits is a catalog of ds whose limits change moves work into
// commands at the sizes a test needs.
func withLimits(ds *model.Dataset, change func(*limits)) *Catalog {
	lim := defaultLimits()
	change(&lim)
	return newCatalog(search.NewEngine(ds), lim)
}

// send delivers a message and runs the commands it returns, synchronously,
// the way the program would (bounded, so a ticking command cannot loop).
func send(m *Model, msg tea.Msg) {
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0 && steps < 50; steps++ {
		msg := queue[0]
		queue = queue[1:]
		_, cmd := m.Update(msg)
		queue = append(queue, runCmd(cmd)...)
	}
}

func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, runCmd(c)...)
		}
		return out
	case tea.QuitMsg:
		return nil
	}
	return []tea.Msg{msg}
}

// keyMsg turns a key name as bubbletea prints it into a KeyMsg.
func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "space", " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		send(m, keyMsg(k))
	}
}

func typeText(m *Model, s string) {
	for _, r := range s {
		send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func resize(m *Model, w, h int) { send(m, tea.WindowSizeMsg{Width: w, Height: h}) }

// checkFrame asserts the frame contract: no line wider than the terminal, no
// more lines than its height.
func checkFrame(t testing.TB, m *Model, w, h int) string {
	t.Helper()
	v := m.View()
	if v == "" {
		return v
	}
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Fatalf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%dx%d: line %d is %d wide: %q", w, h, i, lw, l)
		}
	}
	return v
}

// shownRows lists what key says of each row of the current tab, in order.
func shownRows(m *Model, key func(model.Record) string) []string {
	var out []string
	for _, idx := range m.browse.cur().rows {
		out = append(out, key(m.c.ds.Records()[idx]))
	}
	return out
}
