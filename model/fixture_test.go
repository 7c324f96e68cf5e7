package model

import "testing"

// fixture is a small dataset built in Go, independent of the embedded one:
// a Korean AI data center, an Alibaba plan reported in three currencies, a
// German site with a diacritic in its city, regions with zones.
func fixture(t testing.TB) *Dataset {
	t.Helper()
	f := func(v float64) *float64 { return &v }
	i := func(v int) *int { return &v }
	ev := func(src, quote, tr string) []Evidence {
		return []Evidence{{Source: src, Quote: quote, Translation: tr}}
	}
	day := func(v string) Date { return Date{Value: v} }
	ds := &Dataset{
		Sources: []Source{
			{Base: Base{ID: "s-it"}, Title: "Alibaba Cloud apre un secondo data center", Publisher: "Giornale", Language: "it", Kind: SourceNewsArticle, Published: &Date{Value: "2025-06-19"}},
			{Base: Base{ID: "s-en"}, Title: "SK and AWS build in Ulsan", Publisher: "Herald", Language: "en", Kind: SourceNewsArticle, Published: &Date{Value: "2025-06-16"}},
			{Base: Base{ID: "s-ecb"}, Title: "Reference rates", Publisher: "ECB", Language: "en", Kind: SourceOfficialDoc},
		},
		Places: []Place{
			{Base: Base{ID: "kr", Evidence: ev("s-en", "Korea", "Korea")}, Name: "South Korea", Aliases: []string{"Korea"}, Kind: PlaceCountry, Code: "KR"},
			{Base: Base{ID: "de", Evidence: ev("s-it", "Germania", "Germany")}, Name: "Germany", Kind: PlaceCountry, Code: "DE"},
			{Base: Base{ID: "cn", Evidence: ev("s-it", "Cina", "China")}, Name: "China", Kind: PlaceCountry, Code: "CN"},
			{Base: Base{ID: "in", Evidence: ev("s-en", "India", "India")}, Name: "India", Kind: PlaceCountry, Code: "IN"},
			{Base: Base{ID: "area-apac", Evidence: ev("s-en", "Asia-Pacific", "Asia-Pacific")}, Name: "Asia-Pacific", Kind: PlaceArea, Code: "apac", Contains: []string{"kr", "cn", "in"}},
			{Base: Base{ID: "area-europe", Evidence: ev("s-it", "Europa", "Europe")}, Name: "Europe", Kind: PlaceArea, Code: "europe", Contains: []string{"de"}},
			{Base: Base{ID: "ulsan", Evidence: ev("s-en", "Ulsan", "Ulsan")}, Name: "Ulsan", Kind: PlaceCity, Country: "kr"},
			{Base: Base{ID: "seoul", Evidence: ev("s-en", "Seoul", "Seoul")}, Name: "Seoul", Kind: PlaceCity, Country: "kr"},
			{Base: Base{ID: "dusseldorf", Evidence: ev("s-it", "Düsseldorf", "Düsseldorf")}, Name: "Düsseldorf", Kind: PlaceCity, Country: "de"},
			{Base: Base{ID: "frankfurt", Evidence: ev("s-it", "Francoforte", "Frankfurt")}, Name: "Frankfurt", Kind: PlaceCity, Country: "de"},
		},
		Companies: []Company{
			{Base: Base{ID: "alibaba-group", Evidence: ev("s-it", "il gruppo Alibaba", "the Alibaba group")}, Name: "Alibaba Group", Kind: CompanyConglomerate, Country: "cn",
				People: []Person{{Name: "Eddie Wu", Role: "CEO"}}},
			{Base: Base{ID: "alibaba-cloud", Evidence: ev("s-it", "Alibaba Cloud", "Alibaba Cloud")}, Name: "Alibaba Cloud", Aliases: []string{"Aliyun"}, Kind: CompanyCloudProvider, Country: "cn", Parent: "alibaba-group",
				Footprints: []Footprint{
					{AsOf: day("2025-06"), Regions: 29, Zones: 87, Evidence: ev("s-it", "29 regioni e 87 zone", "29 regions and 87 zones")},
					{AsOf: day("2025-09"), Regions: 29, Zones: 91, Evidence: ev("s-en", "91 zones", "91 zones")},
				}},
			{Base: Base{ID: "amazon", Evidence: ev("s-en", "Amazon", "Amazon")}, Name: "Amazon", Kind: CompanyConglomerate},
			{Base: Base{ID: "aws", Evidence: ev("s-en", "Amazon Web Services", "Amazon Web Services")}, Name: "Amazon Web Services", Aliases: []string{"AWS"}, Kind: CompanyCloudProvider, Parent: "amazon"},
			{Base: Base{ID: "sk-group", Evidence: ev("s-en", "SK Group", "SK Group")}, Name: "SK Group", Kind: CompanyConglomerate, Country: "kr"},
			{Base: Base{ID: "vodafone", Evidence: ev("s-it", "Vodafone", "Vodafone")}, Name: "Vodafone", Kind: CompanyTelecom},
		},
		Regions: []Region{
			{Base: Base{ID: "aws-ap-northeast-2", Evidence: ev("s-en", "Seoul region", "Seoul region")}, Provider: "aws", Code: "ap-northeast-2", Name: "Asia Pacific (Seoul)",
				City: "seoul", Country: "kr", Zones: i(4), ZoneIDs: []string{"apne2-az1", "apne2-az2"}, Status: RegionActive, AsOf: day("2025-06")},
			{Base: Base{ID: "alibaba-eu-central-1", Evidence: ev("s-it", "a Francoforte con Vodafone", "in Frankfurt with Vodafone")}, Provider: "alibaba-cloud", Code: "eu-central-1", Name: "Germany (Frankfurt)",
				City: "frankfurt", Country: "de", Zones: i(3), Status: RegionActive, AsOf: day("2016-11")},
		},
		Facilities: []Facility{
			{Base: Base{ID: "sk-aws-ulsan", Evidence: ev("s-en", "Korea's largest AI data center in Ulsan", "Korea's largest AI data center in Ulsan")},
				Name: "SK-AWS Ulsan AI Data Center", Operator: "sk-group", Partners: []string{"aws"}, City: "ulsan", Country: "kr",
				PowerMW: f(103), GPUs: i(60000), GPUModel: "NVIDIA GB200", Status: FacilityConstruction,
				Phases:     []Phase{{Name: "first", PowerMW: 41, Target: &Date{Value: "2027-11"}, Evidence: ev("s-en", "41 MW first", "41 MW first")}},
				Milestones: []Milestone{{Kind: MilestoneAnnounced, Date: day("2025-06-16"), Evidence: ev("s-en", "announced", "announced")}}},
			{Base: Base{ID: "ali-dus", Evidence: ev("s-it", "un nuovo centro a Düsseldorf", "a new center in Düsseldorf")},
				Name: "Rechenzentrum Düsseldorf", Operator: "alibaba-cloud", City: "dusseldorf", Country: "de",
				PowerMW: f(20), Status: FacilityPlanned, Capex: &Money{Amount: 500e6, Currency: "EUR"},
				Milestones: []Milestone{{Kind: MilestoneAnnounced, Date: day("2025-02-24"), Evidence: ev("s-it", "annunciato", "announced")}}},
		},
		Investments: []Investment{
			{Base: Base{ID: "alibaba-380bn", Evidence: ev("s-it", "380 miliardi di yuan", "380 billion yuan")}, Title: "Alibaba AI and cloud plan", Investor: "alibaba-group",
				Amount: &Money{Amount: 380e9, Currency: "CNY"}, Period: "three years", PeriodMonths: 36, Scope: "cloud computing and AI infrastructure",
				Places: []string{"cn"}, Announced: day("2025-02-24"),
				Reports: []Report{
					{Amount: Money{Amount: 52.9e9, Currency: "USD"}, Evidence: ev("s-en", "$52.9 billion", "$52.9 billion")},
					{Amount: Money{Amount: 48.6e9, Currency: "EUR"}, Evidence: ev("s-it", "48,6 miliardi di euro", "48.6 billion euros")},
				}},
		},
		Announcements: []Announcement{
			{Base: Base{ID: "ann-ulsan", Evidence: ev("s-en", "SK Group and AWS will build an AI data center", "SK Group and AWS will build an AI data center")},
				Date: day("2025-06-16"), Headline: "SK and AWS to build Korea's largest AI data center in Ulsan", Summary: "A 103 MW campus.",
				Kind: AnnFacility, Companies: []string{"sk-group", "aws"}, Places: []string{"ulsan"}, Records: []string{"sk-aws-ulsan"}},
			{Base: Base{ID: "ann-alibaba-plan", Evidence: ev("s-it", "Alibaba investirà 380 miliardi di yuan", "Alibaba will invest 380 billion yuan")},
				Date: day("2025-02-24"), Headline: "Alibaba to invest in AI infrastructure", Summary: "Three-year plan.",
				Kind: AnnInvestment, Companies: []string{"alibaba-group"}, Places: []string{"cn"}, Records: []string{"alibaba-380bn"}},
			{Base: Base{ID: "ann-frankfurt", Evidence: ev("s-it", "il primo data center europeo, a Francoforte", "the first European data center, in Frankfurt")},
				Date: day("2016-11-21"), Headline: "Alibaba Cloud opens Frankfurt region with Vodafone", Summary: "First European region.",
				Kind: AnnExpansion, Companies: []string{"alibaba-cloud", "vodafone"}, Places: []string{"frankfurt"}, Records: []string{"alibaba-eu-central-1"}},
		},
		Rates: []Rate{
			{Base: "USD", Quote: "CNY", Value: 7.30, Date: day("2024-01-02"), Origin: RateReference},
			{Base: "USD", Quote: "CNY", Value: 7.18, Date: day("2025-02-24"), Origin: RateReference},
			{Base: "EUR", Quote: "USD", Value: 1.05, Date: day("2025-02-21"), Origin: RateReference},
		},
	}
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	return ds
}

// ids returns the ids of the records at the given indices.
func ids(d *Dataset, idx []int32) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = d.Records()[j].RecordID()
	}
	return out
}
