// Package modeltest holds a small dataset built in Go, for the tests of
// model and of the packages above it.
package modeltest

import (
	"testing"

	"github.com/dcx-explorer/dcx/model"
)

// Fixture is a small dataset built in Go, independent of the embedded one:
// a Korean AI data center, an Alibaba plan reported in three currencies, a
// German site with a diacritic in its city, regions with zones.
func Fixture(t testing.TB) *model.Dataset {
	t.Helper()
	f := func(v float64) *float64 { return &v }
	i := func(v int) *int { return &v }
	ev := func(src, quote, tr string) []model.Evidence {
		return []model.Evidence{{Source: src, Quote: quote, Translation: tr}}
	}
	day := func(v string) model.Date { return model.Date{Value: v} }
	ds := &model.Dataset{
		Sources: []model.Source{
			{Base: model.Base{ID: "s-it"}, Title: "Alibaba Cloud apre un secondo data center", Publisher: "Giornale", Language: "it", Kind: model.SourceNewsArticle, Published: &model.Date{Value: "2025-06-19"}},
			{Base: model.Base{ID: "s-en"}, Title: "SK and AWS build in Ulsan", Publisher: "Herald", Language: "en", Kind: model.SourceNewsArticle, Published: &model.Date{Value: "2025-06-16"}},
			{Base: model.Base{ID: "s-ecb"}, Title: "Reference rates", Publisher: "ECB", Language: "en", Kind: model.SourceOfficialDoc},
		},
		Places: []model.Place{
			{Base: model.Base{ID: "kr", Evidence: ev("s-en", "Korea", "Korea")}, Name: "South Korea", Aliases: []string{"Korea"}, Kind: model.PlaceCountry, Code: "KR"},
			{Base: model.Base{ID: "de", Evidence: ev("s-it", "Germania", "Germany")}, Name: "Germany", Kind: model.PlaceCountry, Code: "DE"},
			{Base: model.Base{ID: "cn", Evidence: ev("s-it", "Cina", "China")}, Name: "China", Kind: model.PlaceCountry, Code: "CN"},
			{Base: model.Base{ID: "in", Evidence: ev("s-en", "India", "India")}, Name: "India", Kind: model.PlaceCountry, Code: "IN"},
			{Base: model.Base{ID: "area-apac", Evidence: ev("s-en", "Asia-Pacific", "Asia-Pacific")}, Name: "Asia-Pacific", Kind: model.PlaceArea, Code: "apac", Contains: []string{"kr", "cn", "in"}},
			{Base: model.Base{ID: "area-europe", Evidence: ev("s-it", "Europa", "Europe")}, Name: "Europe", Kind: model.PlaceArea, Code: "europe", Contains: []string{"de"}},
			{Base: model.Base{ID: "ulsan", Evidence: ev("s-en", "Ulsan", "Ulsan")}, Name: "Ulsan", Kind: model.PlaceCity, Country: "kr"},
			{Base: model.Base{ID: "seoul", Evidence: ev("s-en", "Seoul", "Seoul")}, Name: "Seoul", Kind: model.PlaceCity, Country: "kr"},
			{Base: model.Base{ID: "dusseldorf", Evidence: ev("s-it", "Düsseldorf", "Düsseldorf")}, Name: "Düsseldorf", Kind: model.PlaceCity, Country: "de"},
			{Base: model.Base{ID: "frankfurt", Evidence: ev("s-it", "Francoforte", "Frankfurt")}, Name: "Frankfurt", Kind: model.PlaceCity, Country: "de"},
		},
		Companies: []model.Company{
			{Base: model.Base{ID: "alibaba-group", Evidence: ev("s-it", "il gruppo Alibaba", "the Alibaba group")}, Name: "Alibaba Group", Kind: model.CompanyConglomerate, Country: "cn",
				People: []model.Person{{Name: "Eddie Wu", Role: "CEO"}}},
			{Base: model.Base{ID: "alibaba-cloud", Evidence: ev("s-it", "Alibaba Cloud", "Alibaba Cloud")}, Name: "Alibaba Cloud", Aliases: []string{"Aliyun"}, Kind: model.CompanyCloudProvider, Country: "cn", Parent: "alibaba-group",
				Footprints: []model.Footprint{
					{AsOf: day("2025-06"), Regions: 29, Zones: 87, Evidence: ev("s-it", "29 regioni e 87 zone", "29 regions and 87 zones")},
					{AsOf: day("2025-09"), Regions: 29, Zones: 91, Evidence: ev("s-en", "91 zones", "91 zones")},
				}},
			{Base: model.Base{ID: "amazon", Evidence: ev("s-en", "Amazon", "Amazon")}, Name: "Amazon", Kind: model.CompanyConglomerate},
			{Base: model.Base{ID: "aws", Evidence: ev("s-en", "Amazon Web Services", "Amazon Web Services")}, Name: "Amazon Web Services", Aliases: []string{"AWS"}, Kind: model.CompanyCloudProvider, Parent: "amazon"},
			{Base: model.Base{ID: "sk-group", Evidence: ev("s-en", "SK Group", "SK Group")}, Name: "SK Group", Kind: model.CompanyConglomerate, Country: "kr"},
			{Base: model.Base{ID: "vodafone", Evidence: ev("s-it", "Vodafone", "Vodafone")}, Name: "Vodafone", Kind: model.CompanyTelecom},
		},
		Regions: []model.Region{
			{Base: model.Base{ID: "aws-ap-northeast-2", Evidence: ev("s-en", "Seoul region", "Seoul region")}, Provider: "aws", Code: "ap-northeast-2", Name: "Asia Pacific (Seoul)",
				City: "seoul", Country: "kr", Zones: i(4), ZoneIDs: []string{"apne2-az1", "apne2-az2"}, Status: model.RegionActive, AsOf: day("2025-06")},
			{Base: model.Base{ID: "alibaba-eu-central-1", Evidence: ev("s-it", "a Francoforte con Vodafone", "in Frankfurt with Vodafone")}, Provider: "alibaba-cloud", Code: "eu-central-1", Name: "Germany (Frankfurt)",
				City: "frankfurt", Country: "de", Zones: i(3), Status: model.RegionActive, AsOf: day("2016-11")},
		},
		Facilities: []model.Facility{
			{Base: model.Base{ID: "sk-aws-ulsan", Evidence: ev("s-en", "Korea's largest AI data center in Ulsan", "Korea's largest AI data center in Ulsan")},
				Name: "SK-AWS Ulsan AI Data Center", Operator: "sk-group", Partners: []string{"aws"}, City: "ulsan", Country: "kr",
				PowerMW: f(103), GPUs: i(60000), GPUModel: "NVIDIA GB200", Status: model.FacilityConstruction,
				Phases:     []model.Phase{{Name: "first", PowerMW: 41, Target: &model.Date{Value: "2027-11"}, Evidence: ev("s-en", "41 MW first", "41 MW first")}},
				Milestones: []model.Milestone{{Kind: model.MilestoneAnnounced, Date: day("2025-06-16"), Evidence: ev("s-en", "announced", "announced")}}},
			{Base: model.Base{ID: "ali-dus", Evidence: ev("s-it", "un nuovo centro a Düsseldorf", "a new center in Düsseldorf")},
				Name: "Rechenzentrum Düsseldorf", Operator: "alibaba-cloud", City: "dusseldorf", Country: "de",
				PowerMW: f(20), Status: model.FacilityPlanned, Capex: &model.Money{Amount: 500e6, Currency: "EUR"},
				Milestones: []model.Milestone{{Kind: model.MilestoneAnnounced, Date: day("2025-02-24"), Evidence: ev("s-it", "annunciato", "announced")}}},
		},
		Investments: []model.Investment{
			{Base: model.Base{ID: "alibaba-380bn", Evidence: ev("s-it", "380 miliardi di yuan", "380 billion yuan")}, Title: "Alibaba AI and cloud plan", Investor: "alibaba-group",
				Amount: &model.Money{Amount: 380e9, Currency: "CNY"}, Period: "three years", PeriodMonths: 36, Scope: "cloud computing and AI infrastructure",
				Places: []string{"cn"}, Announced: day("2025-02-24"),
				Reports: []model.Report{
					{Amount: model.Money{Amount: 52.9e9, Currency: "USD"}, Evidence: ev("s-en", "$52.9 billion", "$52.9 billion")},
					{Amount: model.Money{Amount: 48.6e9, Currency: "EUR"}, Evidence: ev("s-it", "48,6 miliardi di euro", "48.6 billion euros")},
				}},
		},
		Announcements: []model.Announcement{
			{Base: model.Base{ID: "ann-ulsan", Evidence: ev("s-en", "SK Group and AWS will build an AI data center", "SK Group and AWS will build an AI data center")},
				Date: day("2025-06-16"), Headline: "SK and AWS to build Korea's largest AI data center in Ulsan", Summary: "A 103 MW campus.",
				Kind: model.AnnFacility, Companies: []string{"sk-group", "aws"}, Places: []string{"ulsan"}, Records: []string{"sk-aws-ulsan"}},
			{Base: model.Base{ID: "ann-alibaba-plan", Evidence: ev("s-it", "Alibaba investirà 380 miliardi di yuan", "Alibaba will invest 380 billion yuan")},
				Date: day("2025-02-24"), Headline: "Alibaba to invest in AI infrastructure", Summary: "Three-year plan.",
				Kind: model.AnnInvestment, Companies: []string{"alibaba-group"}, Places: []string{"cn"}, Records: []string{"alibaba-380bn"}},
			{Base: model.Base{ID: "ann-frankfurt", Evidence: ev("s-it", "il primo data center europeo, a Francoforte", "the first European data center, in Frankfurt")},
				Date: day("2016-11-21"), Headline: "Alibaba Cloud opens Frankfurt region with Vodafone", Summary: "First European region.",
				Kind: model.AnnExpansion, Companies: []string{"alibaba-cloud", "vodafone"}, Places: []string{"frankfurt"}, Records: []string{"alibaba-eu-central-1"}},
		},
		Rates: []model.Rate{
			{Base: "USD", Quote: "CNY", Value: 7.30, Date: day("2024-01-02"), Origin: model.RateReference},
			{Base: "USD", Quote: "CNY", Value: 7.18, Date: day("2025-02-24"), Origin: model.RateReference},
			{Base: "EUR", Quote: "USD", Value: 1.05, Date: day("2025-02-21"), Origin: model.RateReference},
		},
	}
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	return ds
}

// IDs returns the ids of the records at the given indices.
func IDs(d *model.Dataset, idx []int32) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = d.Records()[j].RecordID()
	}
	return out
}
