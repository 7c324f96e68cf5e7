package data

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// invalidCases maps each fixture in testdata/invalid to every problem it
// must produce, exactly (file paths relative to testdata/invalid). One
// fixture per rule; a few rules legitimately produce two problems.
var invalidCases = map[string][]string{
	"amount-negative.json": {
		"amount-negative.json:14:202: facilities[0].capex.amount: value \"-1000000000\": must not be negative",
	},
	"announcement-kind.json": {
		"announcement-kind.json:14:92: announcements[0].kind: value \"rumour\": unknown announcement kind; want one of investment, facility, partnership, expansion, model-release, customer, policy, statement, cancellation, pause, chip-deal, incident, financing, lease, acquisition, permit, capex-plan",
	},
	"announcement-record.json": {
		"announcement-record.json:14:139: announcements[0].records[0]: value \"dc9\": no record has this id",
	},
	"announcement-self.json": {
		"announcement-self.json:14:139: announcements[0].records[0]: value \"a1\": an announcement cannot concern itself",
	},
	"city-country.json": {
		"city-country.json:15:83: facilities[0].country: value \"jp\": city \"seoul\" is in \"kr\", not in this country",
	},
	"city-without-country.json": {
		"city-without-country.json:11:5: places[1].country: a city or an admin area needs the id of its country",
	},
	"company-kind.json": {
		"company-kind.json:7:44: companies[0].kind: value \"startup\": unknown company kind; want one of cloud-provider, telecom, ai-lab, chip-designer, customer, government, conglomerate, technology, investor, networking, developer, utility, neocloud, other",
	},
	"conflict-values.json": {
		"conflict-values.json:7:200: companies[0].conflicts[0].values: a conflict needs at least two values, each with its evidence",
	},
	"country-code.json": {
		"country-code.json:10:68: places[0].code: value \"KOR\": a country needs its ISO 3166-1 alpha-2 code (two upper-case letters)",
	},
	"currency.json": {
		"currency.json:14:228: facilities[0].capex.currency: value \"RMB\": unknown currency; want an ISO 4217 code, one of AED, ARS, AUD, BHD, BRL, CAD, CHF, CLP, CNY, COP, DKK, EGP, EUR, GBP, HKD, IDR, INR, JPY, KES, KRW, KWD, MXN, MYR, NGN, NOK, NZD, OMR, PHP, PLN, QAR, SAR, SEK, SGD, THB, TRY, TWD, USD, VND, ZAR",
	},
	"date-basis.json": {
		"date-basis.json:14:224: facilities[0].milestones[0].date.basis: an inferred date needs a basis: say how it was inferred",
	},
	"date-missing-value.json": {
		"date-missing-value.json:14:224: facilities[0].milestones[0].date.value: required field is missing",
	},
	"date-precision.json": {
		"date-precision.json:14:258: facilities[0].milestones[0].date.precision: value \"day\": does not match value \"2025-06\", which has month precision",
	},
	"date-qualifier.json": {
		"date-qualifier.json:14:258: facilities[0].milestones[0].date.qualifier: value \"circa\": unknown qualifier; want one of by, before, after, around, from, until",
	},
	"date-value.json": {
		"date-value.json:14:234: facilities[0].milestones[0].date.value: value \"2025-13\": not a date; want YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD with real month and day",
	},
	"duplicate-across-files": {
		"duplicate-across-files/b.json:4:12: sources[1].id: value \"src\": duplicate id; first used by sources[0] (duplicate-across-files/a.json:3:5)",
	},
	"duplicate-id.json": {
		"duplicate-id.json:14:12: facilities[0].id: value \"seoul\": duplicate id; first used by places[1] (duplicate-id.json:11:5)",
	},
	"empty-required.json": {
		"empty-required.json:14:27: facilities[0].name: must not be empty",
	},
	"empty.json": {
		"empty.json:1:1: empty file; want a JSON object with \"$schema\", \"version\", \"sources\", \"companies\", \"places\", \"regions\", \"facilities\", \"investments\", \"announcements\", \"rates\"",
	},
	"evidence-cites.json": {
		"evidence-cites.json:14:190: facilities[0].evidence[0].cites[0]: value \"acme\": refers to a company; want a source",
	},
	"evidence-source.json": {
		"evidence-source.json:14:139: facilities[0].evidence[0].source: value \"nowhere\": no record has this id",
	},
	"evidence-translation.json": {
		"evidence-translation.json:14:175: facilities[0].evidence[0].translation: must not be empty",
	},
	"facility-status.json": {
		"facility-status.json:14:99: facilities[0].status: value \"built\": unknown facility status; want one of announced, planned, permitting, construction, partly-operational, operational, paused, cancelled",
	},
	"field-case.json": {
		"field-case.json:14:5: facilities[0].name: required field is missing",
		"field-case.json:14:166: facilities[0].Name: unknown field (did you mean \"name\"? names are case-sensitive)",
	},
	"field-twice.json": {
		"field-twice.json:4:86: sources[0].title: field given twice",
	},
	"footprint-evidence.json": {
		"footprint-evidence.json:7:211: companies[0].footprints[0].evidence: needs at least one piece of evidence",
	},
	"id-slug.json": {
		"id-slug.json:14:12: facilities[0].id: value \"DC_1\": an id must be a lower-case slug: a-z and 0-9 in words joined by single hyphens",
	},
	"integer-fraction.json": {
		"integer-fraction.json:14:190: facilities[0].gpus: value \"1.5\": want an integer",
	},
	"latitude.json": {
		"latitude.json:14:200: facilities[0].coords.lat: value \"95.5\": latitude must be within [-90, 90]",
	},
	"longitude.json": {
		"longitude.json:14:213: facilities[0].coords.lon: value \"-181\": longitude must be within [-180, 180]",
	},
	"milestone-kind.json": {
		"milestone-kind.json:14:206: facilities[0].milestones[0].kind: value \"groundbreaking\": unknown milestone kind; want one of announced, construction-start, target, opened, site-acquired, permit, lease-signed, paused, cancelled",
	},
	"missing-field.json": {
		"missing-field.json:14:5: facilities[0].status: required field is missing",
	},
	"money-missing-currency.json": {
		"money-missing-currency.json:14:191: facilities[0].capex.currency: required field is missing",
	},
	"negative-gpus.json": {
		"negative-gpus.json:14:190: facilities[0].gpus: value \"-1\": must not be negative",
	},
	"negative-mw.json": {
		"negative-mw.json:14:194: facilities[0].power_mw: value \"-40\": must not be negative",
	},
	"bom.json": {
		"bom.json:1:1: the file starts with a UTF-8 byte order mark (BOM, bytes EF BB BF); save it as UTF-8 without a BOM",
	},
	"gpus-too-many.json": {
		"gpus-too-many.json:14:190: facilities[0].gpus: value \"1000000000000\": more than 10000000 GPUs; no facility is that large (a unit slip?)",
	},
	"infinity.json": {
		"infinity.json:14:194: facilities[0].power_mw: -Infinity is not a JSON number: JSON has no NaN or Infinity; give a finite number or leave the field out",
	},
	"mw-too-large.json": {
		"mw-too-large.json:14:194: facilities[0].power_mw: value \"1e+308\": more than 100000 MW; no facility is that large (a unit slip?)",
	},
	"nan.json": {
		"nan.json:14:190: facilities[0].gpus: NaN is not a JSON number: JSON has no NaN or Infinity; give a finite number or leave the field out",
	},
	"negative-zones.json": {
		"negative-zones.json:14:241: regions[0].zones: value \"-2\": must not be negative",
	},
	"no-evidence.json": {
		"no-evidence.json:14:5: facilities[0].evidence: needs at least one piece of evidence",
	},
	"not-object.json": {
		"not-object.json:1:1: want a JSON object with \"$schema\", \"version\", \"sources\", \"companies\", \"places\", \"regions\", \"facilities\", \"investments\", \"announcements\", \"rates\", found '['",
	},
	"null-value.json": {
		"null-value.json:14:194: facilities[0].power_mw: want a number, got null (leave the field out instead)",
	},
	"parent-loop.json": {
		"parent-loop.json:7:139: companies[0].parent: value \"globex\": the chain of parents loops back to this company",
		"parent-loop.json:8:74: companies[1].parent: value \"acme\": the chain of parents loops back to this company",
	},
	"parent-self.json": {
		"parent-self.json:7:139: companies[0].parent: value \"acme\": a company cannot be its own parent",
	},
	"place-kind.json": {
		"place-kind.json:12:50: places[2].kind: value \"district\": unknown place kind; want one of country, city, area, admin-area",
	},
	"quote-file.json": {
		"quote-file.json:5:87: sources[1].file: value \"missing.txt\": document not found among dcx's built-in documents (give its folder with --quotes DIR)",
	},
	"quote-verbatim.json": {
		"quote-verbatim.json:15:156: facilities[0].evidence[0].quote: value \"Alibaba  Cloud\": not found verbatim in 000_6923abf675a86c52.txt (it differs only in white space or typographic quotes and apostrophes)",
	},
	"rate-currency.json": {
		"rate-currency.json:14:30: rates[0].quote: value \"YUAN\": unknown currency; want an ISO 4217 code, one of AED, ARS, AUD, BHD, BRL, CAD, CHF, CLP, CNY, COP, DKK, EGP, EUR, GBP, HKD, IDR, INR, JPY, KES, KRW, KWD, MXN, MYR, NGN, NOK, NZD, OMR, PHP, PLN, QAR, SAR, SEK, SGD, THB, TRY, TWD, USD, VND, ZAR",
	},
	"rate-disputed.json": {
		"rate-disputed.json:10:187: rates[0].disputed: value \"acme\": a reference rate is published, not read off a figure; only an implied rate can be disputed",
		"rate-disputed.json:10:187: rates[0].disputed: value \"acme\": the record has no conflicts; name the record whose conflict questions the figure this rate is implied from",
		"rate-disputed.json:11:184: rates[1].disputed: value \"nobody\": no record has this id",
	},
	"rate-origin.json": {
		"rate-origin.json:14:94: rates[0].origin: value \"guessed\": unknown rate origin; want one of implied, reference",
	},
	"rate-same-currency.json": {
		"rate-same-currency.json:14:30: rates[0].quote: value \"USD\": a rate needs two different currencies",
	},
	"rate-value.json": {
		"rate-value.json:14:46: rates[0].value: value \"0\": a rate must be positive",
	},
	"reference-kind.json": {
		"reference-kind.json:14:47: facilities[0].operator: value \"kr\": refers to a place; want a company",
	},
	"reference-place-kind.json": {
		"reference-place-kind.json:14:83: facilities[0].country: value \"seoul\": refers to a city; want a country",
	},
	"region-status.json": {
		"region-status.json:14:124: regions[0].status: value \"closed\": unknown region status; want one of active, planned, restricted, decommissioned",
	},
	"source-kind.json": {
		"source-kind.json:4:64: sources[0].kind: value \"blog\": unknown source kind; want one of news-article, press-release, official-documentation, third-party-dataset, research-notes",
	},
	"source-language.json": {
		"source-language.json:4:50: sources[0].language: value \"Italian\": want a BCP 47 language tag such as \"it\" or \"en\"",
	},
	"source-url.json": {
		"source-url.json:4:87: sources[0].url: value \"example.com/a\": want an absolute http or https URL",
	},
	"syntax.json": {
		"syntax.json:4:18: sources[0]: want ',' or '}' after an object member, found '\"'",
	},
	"trailing.json": {
		"trailing.json:4:1: unexpected '{' after the end of the dataset object",
	},
	"unknown-field.json": {
		"unknown-field.json:14:182: facilities[0].powr_mw: unknown field (did you mean \"power_mw\"?)",
	},
	"unknown-reference.json": {
		"unknown-reference.json:14:47: facilities[0].operator: value \"globex\": no record has this id",
	},
	"unknown-top-key.json": {
		"unknown-top-key.json:15:3: extras: unknown top-level key; want \"$schema\", \"version\", \"sources\", \"companies\", \"places\", \"regions\", \"facilities\", \"investments\", \"announcements\", \"rates\"",
	},
	"unterminated.json": {
		"unterminated.json:4:28: sources[0].title: string not terminated before the end of the line",
	},
	"version.json": {
		"version.json:2:14: version: value \"2\": unsupported format version; this dcx reads version 1",
	},
	"wrong-type.json": {
		"wrong-type.json:14:194: facilities[0].power_mw: value \"100 MW\": want a number, got a string",
	},
	"zone-id-twice.json": {
		"zone-id-twice.json:14:250: regions[0].zone_ids[1]: value \"a\": zone code listed twice in this region",
	},
	"zone-ids-count.json": {
		"zone-ids-count.json:14:256: regions[0].zone_ids: value \"3\": lists more zone ids than the region's 2 zones",
	},
}

func TestInvalidFixtures(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir("testdata/invalid")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, ok := invalidCases[name]
			if !ok {
				t.Fatalf("fixture %s has no expected problems in invalidCases", name)
			}
			_, err := Options{CheckQuotes: true}.Load(filepath.Join("testdata", "invalid", name))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Load error = %v (%T), want Errors", err, err)
			}
			var got []string
			for _, p := range errs {
				if p.Line < 1 || p.Col < 1 {
					t.Errorf("problem without a position: %+v", p)
				}
				got = append(got, strings.ReplaceAll(p.String(), "testdata/invalid/", ""))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
	for name := range invalidCases {
		if !seen[name] {
			t.Errorf("invalidCases names %s, which is not in testdata/invalid", name)
		}
	}
}
