package model

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// A direct rate seven months away loses to a path through USD whose legs are
// both within days of the fact; at equal distance the direct rate wins.
func TestConvertPrefersThePathNearestInTime(t *testing.T) {
	rates := []Rate{
		{Base: "EUR", Quote: "CNY", Value: 7.819, Date: Date{Value: "2025-09"}, Origin: RateImplied},
		{Base: "USD", Quote: "CNY", Value: 7.17, Date: Date{Value: "2025-02-24"}, Origin: RateImplied},
		{Base: "EUR", Quote: "USD", Value: 1.0465, Date: Date{Value: "2025-02-21"}, Origin: RateReference},
	}
	tab := NewRateTable(rates)
	m := Money{Amount: 380e9, Currency: "CNY"}

	c, err := tab.Convert(m, "EUR", Date{Value: "2025-02-24"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Legs) != 2 || c.Legs[0].Quote != "USD" {
		t.Fatalf("February fact: legs %+v, want CNY→USD→EUR", c.Legs)
	}
	if want := 380e9 / 7.17 / 1.0465; math.Abs(c.To.Amount-want) > 1 {
		t.Errorf("February fact: %v, want %v", c.To.Amount, want)
	}

	c, err = tab.Convert(m, "EUR", Date{Value: "2025-09-24"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Legs) != 1 {
		t.Fatalf("September fact: legs %+v, want the direct September rate", c.Legs)
	}
	if want := 380e9 / 7.819; math.Abs(c.To.Amount-want) > 1 {
		t.Errorf("September fact: %v, want %v", c.To.Amount, want)
	}
}

// A path of reference rates beats a path through an implied rate however
// much nearer in time the implied one is; an implied rate is used where a
// pair has no reference rate, and the conversion says so.
func TestConvertPrefersReferenceRates(t *testing.T) {
	rates := []Rate{
		{Base: "EUR", Quote: "USD", Value: 1.0465, Date: Date{Value: "2025-02-21"}, Origin: RateReference},
		{Base: "EUR", Quote: "USD", Value: 1.1341, Date: Date{Value: "2025-06-15"}, Origin: RateImplied},
		{Base: "USD", Quote: "KRW", Value: 1360.6, Date: Date{Value: "2025-06-16"}, Origin: RateImplied},
	}
	tab := NewRateTable(rates)
	usd := Money{Amount: 5.1e9, Currency: "USD"}
	june := Date{Value: "2025-06-16"}

	c, err := tab.Convert(usd, "EUR", june)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Legs) != 1 || c.Legs[0].Origin != RateReference || math.Abs(c.To.Amount-5.1e9/1.0465) > 1 {
		t.Fatalf("USD→EUR: %v via %+v, want the reference rate", c.To, c.Legs)
	}
	if c.Reason != "reference rate nearest the date" || !strings.HasSuffix(c.Describe(), " — "+c.Reason) {
		t.Errorf("USD→EUR: reason %q, Describe %q", c.Reason, c.Describe())
	}

	// KRW has only an implied rate: the path through USD takes it and the
	// reference rate for the other leg.
	c, err = tab.Convert(Money{Amount: 7e12, Currency: "KRW"}, "EUR", june)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Legs) != 2 || c.Legs[0].Origin != RateImplied || c.Legs[1].Origin != RateReference {
		t.Fatalf("KRW→EUR: legs %+v, want implied KRW→USD then reference USD→EUR", c.Legs)
	}
	if want := "implied by a report: no reference rate between KRW and USD"; c.Reason != want {
		t.Errorf("KRW→EUR: reason %q, want %q", c.Reason, want)
	}
	if !strings.Contains(c.Describe(), c.Reason) {
		t.Errorf("Describe %q lacks the reason", c.Describe())
	}
}

// A disputed rate is never used: not when it is the nearest, not when it is
// the only one.
func TestConvertSkipsDisputedRates(t *testing.T) {
	rates := []Rate{
		{Base: "EUR", Quote: "USD", Value: 1.088, Date: Date{Value: "2025-09"}, Origin: RateImplied, Disputed: "plan"},
		{Base: "EUR", Quote: "USD", Value: 1.1341, Date: Date{Value: "2025-05-22"}, Origin: RateImplied},
		{Base: "EUR", Quote: "CNY", Value: 7.819, Date: Date{Value: "2025-09"}, Origin: RateImplied, Disputed: "plan"},
	}
	tab := NewRateTable(rates)
	c, err := tab.Convert(Money{Amount: 5.1e9, Currency: "USD"}, "EUR", Date{Value: "2025-09-24"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Legs) != 1 || c.Legs[0].Date.Value != "2025-05-22" {
		t.Errorf("USD→EUR in September: legs %+v, want the undisputed May rate", c.Legs)
	}
	if _, err := tab.Convert(Money{Amount: 380e9, Currency: "CNY"}, "EUR", Date{Value: "2025-09"}); err == nil {
		t.Error("CNY→EUR converted through a disputed rate, the only one there is")
	}
	if got := tab.Currencies(); !slices.Equal(got, []string{"EUR", "USD"}) {
		t.Errorf("Currencies = %v, want EUR and USD: CNY has only a disputed rate", got)
	}
}

func TestDatasetDisplayCurrencies(t *testing.T) {
	d := &Dataset{Rates: []Rate{
		{Base: "USD", Quote: "KRW", Value: 1380, Date: Date{Value: "2025-06-16"}, Origin: RateImplied},
		{Base: "JPY", Quote: "USD", Value: 0.0068, Date: Date{Value: "2025-06"}, Origin: RateImplied},
		{Base: "EUR", Quote: "USD", Value: 1.05, Date: Date{Value: "2025-02-21"}, Origin: RateReference},
		{Base: "GBP", Quote: "USD", Value: 1.3, Date: Date{Value: "2025-06"}, Origin: RateImplied, Disputed: "x"},
	}}
	if err := d.Build(); err != nil {
		t.Fatal(err)
	}
	want := []string{"", "USD", "EUR", "CNY", "JPY", "KRW"}
	if got := d.DisplayCurrencies(); !slices.Equal(got, want) {
		t.Errorf("DisplayCurrencies = %q, want %q (GBP has only a disputed rate)", got, want)
	}
	if got := (&Dataset{}).DisplayCurrencies(); !slices.Equal(got, DisplayCurrencies()) {
		t.Errorf("without rates: %q, want the fixed %q", got, DisplayCurrencies())
	}
}
