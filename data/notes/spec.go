package notes

import "github.com/dcx-explorer/dcx/model"

// Map is one row-map file: what a reader decided about the rows of one
// notes document. A document may have several map files (facilities in
// one, investments and announcements in another); together they must name
// every row once.
type Map struct {
	Document       string            `json:"document"`
	Facilities     []FacilityRow     `json:"facilities,omitempty"`
	Investments    []InvestmentRow   `json:"investments,omitempty"`
	Announcements  []AnnouncementRow `json:"announcements,omitempty"`
	ExtraCompanies []ExtraCompany    `json:"extra_companies,omitempty"`
}

// StatusAt is one status as reported at a date.
type StatusAt struct {
	Status model.FacilityStatus `json:"status"`
	AsOf   model.Date           `json:"as_of"`
}

// MilestoneAt is one dated event of a facility.
type MilestoneAt struct {
	Kind model.MilestoneKind `json:"kind"`
	Date model.Date          `json:"date"`
	Note string              `json:"note,omitempty"`
}

// FacilityRow is a reader's decisions on one F# row.
type FacilityRow struct {
	Row string `json:"row"`
	ID  string `json:"id"`
	// Merge says that ID is an existing record of the hand-written dataset:
	// the row is encoded there, by hand, and nothing is generated for it.
	Merge      bool          `json:"merge,omitempty"`
	Name       string        `json:"name,omitempty"`
	Operator   string        `json:"operator,omitempty"`
	Owners     []string      `json:"owners,omitempty"`
	Developers []string      `json:"developers,omitempty"`
	Tenants    []string      `json:"tenants,omitempty"`
	Customers  []string      `json:"customers,omitempty"`
	Partners   []string      `json:"partners,omitempty"`
	City       string        `json:"city,omitempty"`
	Admin      string        `json:"admin,omitempty"`
	Country    string        `json:"country"`
	Locate     string        `json:"locate,omitempty"`
	Status     []StatusAt    `json:"status,omitempty"`
	PowerMW    *float64      `json:"power_mw,omitempty"`
	PowerBasis string        `json:"power_basis,omitempty"`
	GPUs       *int          `json:"gpus,omitempty"`
	GPUModel   string        `json:"gpu_model,omitempty"`
	Capex      *model.Money  `json:"capex,omitempty"`
	Milestones []MilestoneAt `json:"milestones,omitempty"`
	ThirdParty []string      `json:"third_party,omitempty"`
	NotFound   []string      `json:"not_found,omitempty"`
	// ConflictFields names the field of each segment of the conflicts cell,
	// in order; "" or a missing entry lets the converter guess.
	ConflictFields []string `json:"conflict_fields,omitempty"`
	Notes          string   `json:"notes,omitempty"`
}

// PlaceRef names a place as a row does: a country, an area, a city or an
// admin area within a country.
type PlaceRef struct {
	ID      string `json:"id,omitempty"`
	Area    string `json:"area,omitempty"`
	City    string `json:"city,omitempty"`
	Admin   string `json:"admin,omitempty"`
	Country string `json:"country,omitempty"`
	// Locate is a GeoNames town standing for a city GeoNames does not list.
	Locate string `json:"locate,omitempty"`
}

// InvestmentRow is a reader's decisions on one I# row.
type InvestmentRow struct {
	Row            string       `json:"row"`
	ID             string       `json:"id"`
	Merge          bool         `json:"merge,omitempty"`
	Title          string       `json:"title"`
	Investor       string       `json:"investor"`
	CoInvestors    []string     `json:"co_investors,omitempty"`
	Partners       []string     `json:"partners,omitempty"`
	Amount         *model.Money `json:"amount"`
	Period         string       `json:"period,omitempty"`
	PeriodMonths   int          `json:"period_months,omitempty"`
	Announced      model.Date   `json:"announced"`
	Places         []PlaceRef   `json:"places,omitempty"`
	Scope          string       `json:"scope,omitempty"`
	ThirdParty     []string     `json:"third_party,omitempty"`
	NotFound       []string     `json:"not_found,omitempty"`
	ConflictFields []string     `json:"conflict_fields,omitempty"`
	Notes          string       `json:"notes,omitempty"`
}

// AnnouncementRow is a reader's decisions on one A# row.
type AnnouncementRow struct {
	Row       string                 `json:"row"`
	ID        string                 `json:"id"`
	Merge     bool                   `json:"merge,omitempty"`
	Kind      model.AnnouncementKind `json:"kind"`
	Companies []string               `json:"companies,omitempty"`
	Places    []PlaceRef             `json:"places,omitempty"`
	// Date overrides the date parsed from the row's date cell.
	Date    *model.Date `json:"date,omitempty"`
	Summary string      `json:"summary,omitempty"`
	Notes   string      `json:"notes,omitempty"`
}

// ExtraCompany is a company the rows name that no Companies table lists;
// Row is a row whose cells name it, quoted as its evidence.
type ExtraCompany struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	Kind    model.CompanyKind `json:"kind"`
	Country string            `json:"country,omitempty"`
	Row     string            `json:"row"`
}
