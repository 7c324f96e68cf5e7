package model

// Refs are the one description of which fields of a record point at other
// records: relations (EachLink), export's closure, the search engine's links
// and the validator's coverage test all read them. Adding a reference field
// to a type is a line here.

// A Target is what a reference may point at: a kind and, for places, the
// place kind it must have ("" for any).
type Target struct {
	Kind  Kind
	Place PlaceKind
}

// A Ref is one id a record's field holds.
type Ref struct {
	Field   string // the JSON field
	Index   int    // position in a list field; -1 for a single-valued one
	ID      string // may be "" only in a list field (see EachRef)
	Role    string // what the target is to the record ("operator")
	Inverse string // what the record is to the target ("operates")
	To      Target
}

var (
	toCompany    = Target{Kind: KindCompany}
	toPlace      = Target{Kind: KindPlace}
	toCountry    = Target{Kind: KindPlace, Place: PlaceCountry}
	toCity       = Target{Kind: KindPlace, Place: PlaceCity}
	toAdminArea  = Target{Kind: KindPlace, Place: PlaceAdminArea}
	toRegion     = Target{Kind: KindRegion}
	toFacility   = Target{Kind: KindFacility}
	toInvestment = Target{Kind: KindInvestment}
	toSource     = Target{Kind: KindSource}
	toAny        = Target{}
)

// EachRef calls fn for every reference r's own fields hold (not its
// evidence's sources: EachLink adds those). Empty single-valued references
// are skipped; list entries are passed even when empty, so that validation
// can say which one is. A visitor rather than a slice: Build walks every
// reference of a million records.
func EachRef(r Record, fn func(Ref)) {
	one := func(field, role, inverse string, to Target, id string) {
		if id != "" {
			fn(Ref{Field: field, Index: -1, ID: id, Role: role, Inverse: inverse, To: to})
		}
	}
	many := func(field, role, inverse string, to Target, ids []string) {
		for i, id := range ids {
			fn(Ref{Field: field, Index: i, ID: id, Role: role, Inverse: inverse, To: to})
		}
	}
	switch r := r.(type) {
	case *Source:
		many("rewrites", "rewrites", "rewritten by", toSource, r.Rewrites)
	case *Company:
		one("parent", "parent", "subsidiary", toCompany, r.Parent)
		one("country", "country", "company", toCountry, r.Country)
	case *Place:
		one("country", "country", "city", toCountry, r.Country)
		one("admin", "admin area", "place", toAdminArea, r.Admin)
		many("contains", "country in area", "area", toCountry, r.Contains)
	case *Region:
		one("provider", "provider", "region", toCompany, r.Provider)
		one("city", "city", "region", toCity, r.City)
		one("country", "country", "region", toCountry, r.Country)
	case *Zone:
		one("region", "region", "zone", toRegion, r.Region)
	case *Facility:
		one("operator", "operator", "operates", toCompany, r.Operator)
		many("owners", "owner", "owns", toCompany, r.Owners)
		many("partners", "partner", "partner in", toCompany, r.Partners)
		many("customers", "customer", "customer of", toCompany, r.Customers)
		many("developers", "developer", "develops", toCompany, r.Developers)
		many("tenants", "tenant", "tenant of", toCompany, r.Tenants)
		one("city", "city", "facility", toCity, r.City)
		one("admin", "admin area", "facility", toAdminArea, r.Admin)
		one("country", "country", "facility", toCountry, r.Country)
		one("investment", "investment", "facility", toInvestment, r.Investment)
	case *Investment:
		one("investor", "investor", "investment", toCompany, r.Investor)
		many("co_investors", "co-investor", "investment", toCompany, r.CoInvestors)
		many("partners", "partner", "partner in", toCompany, r.Partners)
		many("places", "place", "investment", toPlace, r.Places)
		many("facilities", "facility", "funded by", toFacility, r.Facilities)
	case *Announcement:
		many("companies", "company", "announcement", toCompany, r.Companies)
		many("places", "place", "announcement", toPlace, r.Places)
		many("records", "concerns", "announcement", toAny, r.Records)
	}
}
