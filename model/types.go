// Package model holds dcx's domain: the records of the dataset, the relations
// between them, dates and money conversion. It imports nothing of dcx and
// knows nothing of files, search or terminals: data loads it, search indexes
// it, ui shows it.
package model

import "slices"

// Kind names a kind of record. The string is the one used in ids, filters
// (kind:facility) and the JSON keys of the dataset (plural form).
type Kind string

const (
	KindAnnouncement Kind = "announcement"
	KindCompany      Kind = "company"
	KindRegion       Kind = "region"
	KindZone         Kind = "zone"
	KindFacility     Kind = "facility"
	KindInvestment   Kind = "investment"
	KindSource       Kind = "source"
	KindPlace        Kind = "place"
)

// kinds lists every kind in the order the app shows them; Kinds hands out
// copies, so no importer can reorder them for everyone.
var kinds = []Kind{KindAnnouncement, KindCompany, KindRegion, KindZone, KindFacility, KindInvestment, KindSource, KindPlace}

// Kinds lists every kind in the order the app shows them.
func Kinds() []Kind { return slices.Clone(kinds) }

// Evidence ties a fact to the document it comes from. Quote is verbatim, in the
// language of the document Source names; Translation is its English rendering
// (equal to Quote when the document is in English). When the quoted document
// is itself a compilation (the research notes), Cites names the original
// documents it attributes the fact to.
type Evidence struct {
	Source      string   `json:"source"`
	Quote       string   `json:"quote"`
	Translation string   `json:"translation"`
	Supports    []string `json:"supports,omitempty"`
	Cites       []string `json:"cites,omitempty"`
	Note        string   `json:"note,omitempty"`
}

// Conflict records a place where sources disagree. Both values are kept and
// shown; the data never silently picks one.
type Conflict struct {
	Field   string          `json:"field"`
	Summary string          `json:"summary"`
	Values  []ConflictValue `json:"values"`
}

// ConflictValue is one side of a disagreement, with its evidence.
type ConflictValue struct {
	Value    string     `json:"value"`
	Evidence []Evidence `json:"evidence"`
}

// Base is what every record carries: a stable id, its evidence, the
// disagreements between its sources and free notes.
type Base struct {
	ID        string     `json:"id"`
	Evidence  []Evidence `json:"evidence,omitempty"`
	Conflicts []Conflict `json:"conflicts,omitempty"`
	// NotFound names fields the sources were searched for and did not give
	// (the research notes' NOT FOUND): empty on purpose, not forgotten.
	NotFound []string `json:"not_found,omitempty"`
	// ThirdParty names fields whose value comes only from a tracker or
	// aggregator, not from the company or a news report.
	ThirdParty []string `json:"third_party_fields,omitempty"`
	Notes      string   `json:"notes,omitempty"`
}

// Source is a document facts come from.
type Source struct {
	Base
	Title     string `json:"title"`
	Publisher string `json:"publisher,omitempty"`
	URL       string `json:"url,omitempty"`
	// Language is a BCP 47 tag ("it", "en").
	Language  string     `json:"language"`
	Published *Date      `json:"published,omitempty"`
	Kind      SourceKind `json:"kind"`
	// Quality grades how directly the document knows the fact: the company
	// itself or a news report (primary), a weak outlet or a copy (secondary),
	// a tracker or aggregator (third-party). Empty when not graded.
	Quality SourceQuality `json:"quality,omitempty"`
	// Rewrites names the reports this document retells (a syndicated or
	// translated rewrite), so a reader can go to the original.
	Rewrites []string `json:"rewrites,omitempty"`
	// File is the name of the seed file for sources the project holds a copy of.
	File string `json:"file,omitempty"`
}

// SourceKind classifies a document.
type SourceKind string

const (
	SourceNewsArticle   SourceKind = "news-article"
	SourcePressRelease  SourceKind = "press-release"
	SourceOfficialDoc   SourceKind = "official-documentation"
	SourceThirdPartyDS  SourceKind = "third-party-dataset"
	SourceResearchNotes SourceKind = "research-notes"
)

// SourceQuality grades a source; see Source.Quality.
type SourceQuality string

const (
	QualityPrimary    SourceQuality = "primary"
	QualitySecondary  SourceQuality = "secondary"
	QualityThirdParty SourceQuality = "third-party"
)

// Company is any organisation: provider, telecom, lab, customer, government.
type Company struct {
	Base
	Name    string      `json:"name"`
	Aliases []string    `json:"aliases,omitempty"`
	Kind    CompanyKind `json:"kind"`
	// Country is a place id (an ISO 3166 country).
	Country    string      `json:"country,omitempty"`
	Parent     string      `json:"parent,omitempty"`
	People     []Person    `json:"people,omitempty"`
	Footprints []Footprint `json:"footprints,omitempty"`
}

// CompanyKind classifies a company.
type CompanyKind string

const (
	CompanyCloudProvider CompanyKind = "cloud-provider"
	CompanyTelecom       CompanyKind = "telecom"
	CompanyAILab         CompanyKind = "ai-lab"
	CompanyChipDesigner  CompanyKind = "chip-designer"
	CompanyCustomer      CompanyKind = "customer"
	CompanyGovernment    CompanyKind = "government"
	CompanyConglomerate  CompanyKind = "conglomerate"
	CompanyTechnology    CompanyKind = "technology"
	CompanyInvestor      CompanyKind = "investor"
	CompanyNetworking    CompanyKind = "networking"
	// CompanyDeveloper builds, owns or runs data centers for others.
	CompanyDeveloper CompanyKind = "developer"
	CompanyUtility   CompanyKind = "utility"
	// CompanyNeocloud rents GPU capacity (CoreWeave, Nebius, Fluidstack).
	CompanyNeocloud CompanyKind = "neocloud"
	CompanyOther    CompanyKind = "other"
)

// Person is someone who speaks for a company.
type Person struct {
	Name     string     `json:"name"`
	Role     string     `json:"role"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Footprint is a provider's size as reported at a date.
type Footprint struct {
	AsOf     Date       `json:"as_of"`
	Regions  int        `json:"regions"`
	Zones    int        `json:"zones"`
	Evidence []Evidence `json:"evidence"`
}

// Place is a country, a city or a macro-area.
type Place struct {
	Base
	Name    string    `json:"name"`
	Aliases []string  `json:"aliases,omitempty"`
	Kind    PlaceKind `json:"kind"`
	// Code is the ISO 3166-1 alpha-2 code of a country, or a short code of an
	// area ("apac").
	Code string `json:"code,omitempty"`
	// Country is the place id of a city's or admin area's country.
	Country string `json:"country,omitempty"`
	// Admin is the place id of the admin area a city or a county lies in.
	Admin string `json:"admin,omitempty"`
	// Contains lists the country place ids of a macro-area.
	Contains []string `json:"contains,omitempty"`
	Coords   *Coords  `json:"coords,omitempty"`
}

// PlaceKind classifies a place.
type PlaceKind string

const (
	PlaceCountry PlaceKind = "country"
	PlaceCity    PlaceKind = "city"
	PlaceArea    PlaceKind = "area"
	// PlaceAdminArea is a state, province or county: where a site outside a
	// named city is located.
	PlaceAdminArea PlaceKind = "admin-area"
)

// Coords is a latitude/longitude pair in degrees.
type Coords struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Region is a cloud region of a provider.
type Region struct {
	Base
	Provider string  `json:"provider"`
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	City     string  `json:"city,omitempty"`
	Country  string  `json:"country"`
	Coords   *Coords `json:"coords,omitempty"`
	// Zones is the number of availability zones; nil when unknown, 0 when the
	// region has none (Azure regions without zone support).
	Zones *int `json:"zones,omitempty"`
	// ZoneIDs lists the zone codes where the source names them; the model
	// turns each into a Zone record.
	ZoneIDs []string     `json:"zone_ids,omitempty"`
	Status  RegionStatus `json:"status"`
	AsOf    Date         `json:"as_of"`
	// ThirdParty marks rows whose figures come from a secondary dataset rather
	// than the provider.
	ThirdParty bool `json:"third_party,omitempty"`
}

// RegionStatus is the lifecycle of a region.
type RegionStatus string

const (
	RegionActive         RegionStatus = "active"
	RegionPlanned        RegionStatus = "planned"
	RegionRestricted     RegionStatus = "restricted"
	RegionDecommissioned RegionStatus = "decommissioned"
)

// Zone is an availability zone. Zones are derived from Region.ZoneIDs at load
// and share their region's evidence.
type Zone struct {
	Base
	Region string `json:"region"`
	Code   string `json:"code"`
}

// Facility is a data-center site or project.
type Facility struct {
	Base
	Name     string   `json:"name"`
	Aliases  []string `json:"aliases,omitempty"`
	Operator string   `json:"operator,omitempty"`
	Owners   []string `json:"owners,omitempty"`
	// Developers build the site (often also its owners or operator).
	Developers []string `json:"developers,omitempty"`
	// Tenants lease the site or its capacity; Customers use it (OpenAI
	// behind an Oracle lease).
	Tenants   []string `json:"tenants,omitempty"`
	Partners  []string `json:"partners,omitempty"`
	Customers []string `json:"customers,omitempty"`
	City      string   `json:"city,omitempty"`
	// Admin is the admin area (state, county, province) of a site located
	// no closer than that, or the one its city lies in.
	Admin   string  `json:"admin,omitempty"`
	Country string  `json:"country"`
	Coords  *Coords `json:"coords,omitempty"`
	// CoordsFrom says what Coords locate when they are not the site's own:
	// "city" (the facility's city), "admin-area" (a town standing for the
	// county or state the site is only known to be in), "country".
	CoordsFrom string `json:"coords_from,omitempty"`
	// PowerMW is the planned or built total power; phases detail it.
	PowerMW *float64 `json:"power_mw,omitempty"`
	// PowerBasis says what PowerMW measures when the source says: "it" (the
	// IT load) or "facility" (the total the site draws).
	PowerBasis string         `json:"power_basis,omitempty"`
	Phases     []Phase        `json:"phases,omitempty"`
	GPUs       *int           `json:"gpus,omitempty"`
	GPUModel   string         `json:"gpu_model,omitempty"`
	Status     FacilityStatus `json:"status"`
	// StatusHistory is each status as reported, oldest first; the last is
	// Status.
	StatusHistory []StatusReport `json:"status_history,omitempty"`
	Milestones    []Milestone    `json:"milestones,omitempty"`
	Capex         *Money         `json:"capex,omitempty"`
	// Investment is the investment the facility is part of, if any.
	Investment string `json:"investment,omitempty"`
}

// AnnouncedDate is when a facility was announced, else its first milestone:
// the date its money is converted at and its row is dated by.
func (f *Facility) AnnouncedDate() Date {
	for _, m := range f.Milestones {
		if m.Kind == MilestoneAnnounced {
			return m.Date
		}
	}
	if len(f.Milestones) > 0 {
		return f.Milestones[0].Date
	}
	return Date{}
}

// StatusReport is a facility's status as a source reported it at a date.
type StatusReport struct {
	Status   FacilityStatus `json:"status"`
	AsOf     Date           `json:"as_of"`
	Evidence []Evidence     `json:"evidence"`
}

// FacilityStatus is the lifecycle of a facility.
type FacilityStatus string

const (
	FacilityAnnounced    FacilityStatus = "announced"
	FacilityPlanned      FacilityStatus = "planned"
	FacilityPermitting   FacilityStatus = "permitting"
	FacilityConstruction FacilityStatus = "construction"
	// FacilityPartlyOperational: some buildings or a first phase in service.
	FacilityPartlyOperational FacilityStatus = "partly-operational"
	FacilityOperational       FacilityStatus = "operational"
	FacilityPaused            FacilityStatus = "paused"
	FacilityCancelled         FacilityStatus = "cancelled"
)

// Phase is a stage of a facility's build-out.
type Phase struct {
	Name     string     `json:"name"`
	PowerMW  float64    `json:"power_mw"`
	Target   *Date      `json:"target,omitempty"`
	Evidence []Evidence `json:"evidence"`
}

// Milestone is a dated event in a facility's life.
type Milestone struct {
	Kind MilestoneKind `json:"kind"`
	Date Date          `json:"date"`
	// Note says what the milestone is of when not the whole site ("phase 2").
	Note     string     `json:"note,omitempty"`
	Evidence []Evidence `json:"evidence"`
}

// MilestoneKind names a milestone.
type MilestoneKind string

const (
	MilestoneAnnounced         MilestoneKind = "announced"
	MilestoneConstructionStart MilestoneKind = "construction-start"
	MilestoneTarget            MilestoneKind = "target"
	MilestoneOpened            MilestoneKind = "opened"
	MilestoneSiteAcquired      MilestoneKind = "site-acquired"
	MilestonePermit            MilestoneKind = "permit"
	MilestoneLeaseSigned       MilestoneKind = "lease-signed"
	MilestonePaused            MilestoneKind = "paused"
	MilestoneCancelled         MilestoneKind = "cancelled"
)

// Investment is one investment plan. A plan reported in several currencies or
// by several sources is one Investment with several Reports.
type Investment struct {
	Base
	Title string `json:"title"`
	// Investor is the lead investor; CoInvestors the others (Stargate:
	// SoftBank with OpenAI, Oracle and MGX).
	Investor    string   `json:"investor"`
	CoInvestors []string `json:"co_investors,omitempty"`
	// Partners take part without investing (technology partners).
	Partners []string `json:"partners,omitempty"`
	// Amount is the canonical figure in the currency it was announced in;
	// nil when the sources give none (a capex plan reported only quarter by
	// quarter), and then not_found says so.
	Amount *Money `json:"amount,omitempty"`
	// Period is the span as stated ("three years"); PeriodMonths its length.
	Period       string   `json:"period,omitempty"`
	PeriodMonths int      `json:"period_months,omitempty"`
	Scope        string   `json:"scope,omitempty"`
	Places       []string `json:"places,omitempty"`
	Announced    Date     `json:"announced"`
	// Facilities are the sites the investment pays for.
	Facilities []string `json:"facilities,omitempty"`
	Reports    []Report `json:"reports,omitempty"`
}

// Report is how one source stated an investment's amount. Comparing it with
// the canonical amount gives the exchange rate the source implied.
type Report struct {
	Amount   Money      `json:"amount"`
	Evidence []Evidence `json:"evidence"`
}

// Announcement is an event a reader browses.
type Announcement struct {
	Base
	Date     Date   `json:"date"`
	Headline string `json:"headline"`
	// Summary is optional: a headline that says it all needs none.
	Summary   string           `json:"summary,omitempty"`
	Kind      AnnouncementKind `json:"kind"`
	Companies []string         `json:"companies,omitempty"`
	Places    []string         `json:"places,omitempty"`
	// Records are ids of other records the announcement concerns (facilities,
	// investments, regions).
	Records []string `json:"records,omitempty"`
}

// AnnouncementKind classifies an announcement.
type AnnouncementKind string

const (
	AnnInvestment   AnnouncementKind = "investment"
	AnnFacility     AnnouncementKind = "facility"
	AnnPartnership  AnnouncementKind = "partnership"
	AnnExpansion    AnnouncementKind = "expansion"
	AnnModelRelease AnnouncementKind = "model-release"
	AnnCustomer     AnnouncementKind = "customer"
	AnnPolicy       AnnouncementKind = "policy"
	AnnStatement    AnnouncementKind = "statement"
	AnnCancellation AnnouncementKind = "cancellation"
	AnnPause        AnnouncementKind = "pause"
	AnnChipDeal     AnnouncementKind = "chip-deal"
	AnnIncident     AnnouncementKind = "incident"
	AnnFinancing    AnnouncementKind = "financing"
	AnnLease        AnnouncementKind = "lease"
	AnnAcquisition  AnnouncementKind = "acquisition"
	AnnPermit       AnnouncementKind = "permit"
	// AnnCapexPlan is a company's capital-spending guidance.
	AnnCapexPlan AnnouncementKind = "capex-plan"
)

// Rate is one exchange rate: 1 Base = Value Quote on Date.
type Rate struct {
	Base     string     `json:"base"`
	Quote    string     `json:"quote"`
	Value    float64    `json:"value"`
	Date     Date       `json:"date"`
	Origin   RateOrigin `json:"origin"`
	Evidence []Evidence `json:"evidence"`
	Note     string     `json:"note,omitempty"`
	// Disputed is set on an implied rate whose figure a conflict questions:
	// the id of the record holding that conflict (article 2's EUR 48.6 bn,
	// which alibaba-380bn-ai-cloud-plan records as not matching the ECB
	// rate). The rate stays in the dataset, as the sources state it, but no
	// conversion uses it: a figure in doubt must not turn into every other
	// figure of its currency.
	Disputed string `json:"disputed,omitempty"`
}

// RateOrigin says how a rate was obtained.
type RateOrigin string

const (
	// RateImplied is computed from two figures a source gave for one amount.
	RateImplied RateOrigin = "implied"
	// RateReference is a published reference rate (a central bank's).
	RateReference RateOrigin = "reference"
)
