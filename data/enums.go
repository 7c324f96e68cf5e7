package data

import (
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// The known values of each enumeration. They mirror the constants in
// model/types.go and model/date.go; a test parses those files so a constant
// added there cannot be missing here, and the schema is generated from these
// lists so editors offer the same values.
var (
	sourceKinds = []model.SourceKind{
		model.SourceNewsArticle, model.SourcePressRelease, model.SourceOfficialDoc,
		model.SourceThirdPartyDS, model.SourceResearchNotes,
	}
	companyKinds = []model.CompanyKind{
		model.CompanyCloudProvider, model.CompanyTelecom, model.CompanyAILab, model.CompanyChipDesigner,
		model.CompanyCustomer, model.CompanyGovernment, model.CompanyConglomerate, model.CompanyTechnology,
		model.CompanyInvestor, model.CompanyNetworking, model.CompanyDeveloper, model.CompanyUtility,
		model.CompanyNeocloud, model.CompanyOther,
	}
	sourceQualities = []model.SourceQuality{model.QualityPrimary, model.QualitySecondary, model.QualityThirdParty}
	placeKinds      = []model.PlaceKind{model.PlaceCountry, model.PlaceCity, model.PlaceArea, model.PlaceAdminArea}
	regionStatuses  = []model.RegionStatus{
		model.RegionActive, model.RegionPlanned, model.RegionRestricted, model.RegionDecommissioned,
	}
	facilityStatuses = []model.FacilityStatus{
		model.FacilityAnnounced, model.FacilityPlanned, model.FacilityPermitting, model.FacilityConstruction,
		model.FacilityPartlyOperational, model.FacilityOperational, model.FacilityPaused, model.FacilityCancelled,
	}
	milestoneKinds = []model.MilestoneKind{
		model.MilestoneAnnounced, model.MilestoneConstructionStart, model.MilestoneTarget,
		model.MilestoneOpened, model.MilestoneSiteAcquired, model.MilestonePermit, model.MilestoneLeaseSigned,
		model.MilestonePaused, model.MilestoneCancelled,
	}
	announcementKinds = []model.AnnouncementKind{
		model.AnnInvestment, model.AnnFacility, model.AnnPartnership, model.AnnExpansion,
		model.AnnModelRelease, model.AnnCustomer, model.AnnPolicy, model.AnnStatement,
		model.AnnCancellation, model.AnnPause, model.AnnChipDeal, model.AnnIncident, model.AnnFinancing,
		model.AnnLease, model.AnnAcquisition, model.AnnPermit, model.AnnCapexPlan,
	}
	powerBases  = []string{"it", "facility"}
	coordsFroms = []string{"city", "admin-area", "country"}
	rateOrigins = []model.RateOrigin{model.RateImplied, model.RateReference}
	precisions  = []model.Precision{model.PrecisionDay, model.PrecisionMonth, model.PrecisionQuarter, model.PrecisionYear}
)

func known[T ~string](v T, list []T) bool {
	for _, k := range list {
		if k == v {
			return true
		}
	}
	return false
}

func listOf[T ~string](list []T) string {
	s := make([]string, len(list))
	for i, k := range list {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// isSlug reports whether s is a lower-case slug: letters a-z and digits in
// words joined by single hyphens ("alibaba-cloud", "aws-ap-northeast-2").
func isSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-':
			if s[i-1] == '-' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// isLanguageTag accepts the BCP 47 tags dcx's sources use: a 2-3 letter
// lower-case language with optional subtags ("it", "en", "zh-Hans", "pt-BR").
func isLanguageTag(s string) bool {
	lang, rest, _ := strings.Cut(s, "-")
	if len(lang) < 2 || len(lang) > 3 {
		return false
	}
	for i := 0; i < len(lang); i++ {
		if lang[i] < 'a' || lang[i] > 'z' {
			return false
		}
	}
	for rest != "" {
		var sub string
		sub, rest, _ = strings.Cut(rest, "-")
		if len(sub) < 2 || len(sub) > 8 {
			return false
		}
		for i := 0; i < len(sub); i++ {
			c := sub[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

// isCountryCode accepts an ISO 3166-1 alpha-2 code: two upper-case letters.
func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
