package synth

// The fixed part of the synthetic world: real countries, areas and cities
// (with real coordinates) and a few well-known companies, so synthetic
// records read like the real dataset and queries such as "ulsan aws" or
// company:alibaba find something at every size. Everything else (the
// facilities, investments and announcements about them) is invented.

type country struct{ code, name, alias, lang, currency string }

var countries = []country{
	{"KR", "South Korea", "Korea", "ko", "KRW"},
	{"CN", "China", "PRC", "zh", "CNY"},
	{"JP", "Japan", "", "ja", "JPY"},
	{"SG", "Singapore", "", "en", "SGD"},
	{"AU", "Australia", "", "en", "AUD"},
	{"IN", "India", "", "en", "INR"},
	{"ID", "Indonesia", "", "id", "IDR"},
	{"MY", "Malaysia", "", "ms", "MYR"},
	{"TH", "Thailand", "", "th", "THB"},
	{"PH", "Philippines", "", "en", "PHP"},
	{"AE", "United Arab Emirates", "UAE", "ar", "AED"},
	{"SA", "Saudi Arabia", "KSA", "ar", "SAR"},
	{"DE", "Germany", "Deutschland", "de", "EUR"},
	{"FR", "France", "", "fr", "EUR"},
	{"IT", "Italy", "Italia", "it", "EUR"},
	{"ES", "Spain", "España", "es", "EUR"},
	{"NL", "Netherlands", "Holland", "nl", "EUR"},
	{"GB", "United Kingdom", "UK", "en", "GBP"},
	{"IE", "Ireland", "", "en", "EUR"},
	{"US", "United States", "USA", "en", "USD"},
	{"MX", "Mexico", "México", "es", "MXN"},
	{"BR", "Brazil", "Brasil", "pt", "BRL"},
	{"HK", "Hong Kong", "", "zh", "HKD"},
}

type area struct {
	code, name string
	contains   []string // country codes
}

var areas = []area{
	{"apac", "Asia-Pacific", []string{"KR", "CN", "JP", "SG", "AU", "IN", "ID", "MY", "TH", "PH", "HK"}},
	{"me", "Middle East", []string{"AE", "SA"}},
	{"europe", "Europe", []string{"DE", "FR", "IT", "ES", "NL", "GB", "IE"}},
	{"sea", "Southeast Asia", []string{"SG", "ID", "MY", "TH", "PH"}},
	{"latam", "Latin America", []string{"MX", "BR"}},
}

type city struct {
	name, country string
	lat, lon      float64
}

var cities = []city{
	{"Seoul", "KR", 37.5665, 126.978}, {"Ulsan", "KR", 35.5384, 129.3114}, {"Busan", "KR", 35.1796, 129.0756},
	{"Chuncheon", "KR", 37.8813, 127.7298}, {"Sejong", "KR", 36.48, 127.289},
	{"Beijing", "CN", 39.9042, 116.4074}, {"Shanghai", "CN", 31.2304, 121.4737}, {"Hangzhou", "CN", 30.2741, 120.1551},
	{"Shenzhen", "CN", 22.5431, 114.0579}, {"Zhangjiakou", "CN", 40.8244, 114.8875}, {"Ulanqab", "CN", 41.0341, 113.1141},
	{"Tokyo", "JP", 35.6762, 139.6503}, {"Osaka", "JP", 34.6937, 135.5023}, {"Singapore", "SG", 1.3521, 103.8198},
	{"Sydney", "AU", -33.8688, 151.2093}, {"Melbourne", "AU", -37.8136, 144.9631}, {"Mumbai", "IN", 19.076, 72.8777},
	{"Chennai", "IN", 13.0827, 80.2707}, {"Hyderabad", "IN", 17.385, 78.4867}, {"Jakarta", "ID", -6.2088, 106.8456},
	{"Batam", "ID", 1.0456, 104.0305}, {"Kuala Lumpur", "MY", 3.139, 101.6869}, {"Johor Bahru", "MY", 1.4927, 103.7414},
	{"Bangkok", "TH", 13.7563, 100.5018}, {"Manila", "PH", 14.5995, 120.9842}, {"Abu Dhabi", "AE", 24.4539, 54.3773},
	{"Dubai", "AE", 25.2048, 55.2708}, {"Riyadh", "SA", 24.7136, 46.6753}, {"Dammam", "SA", 26.4207, 50.0888},
	{"Frankfurt", "DE", 50.1109, 8.6821}, {"Düsseldorf", "DE", 51.2277, 6.7735}, {"München", "DE", 48.1351, 11.582},
	{"Berlin", "DE", 52.52, 13.405}, {"Paris", "FR", 48.8566, 2.3522}, {"Marseille", "FR", 43.2965, 5.3698},
	{"Milano", "IT", 45.4642, 9.19}, {"Torino", "IT", 45.0703, 7.6869}, {"Madrid", "ES", 40.4168, -3.7038},
	{"Zaragoza", "ES", 41.6488, -0.8891}, {"Amsterdam", "NL", 52.3676, 4.9041}, {"Groningen", "NL", 53.2194, 6.5665},
	{"London", "GB", 51.5074, -0.1278}, {"Slough", "GB", 51.5105, -0.595}, {"Dublin", "IE", 53.3498, -6.2603},
	{"Ashburn", "US", 39.0438, -77.4874}, {"Abilene", "US", 32.4487, -99.7331}, {"Phoenix", "US", 33.4484, -112.074},
	{"Columbus", "US", 39.9612, -82.9988}, {"Des Moines", "US", 41.5868, -93.625}, {"Querétaro", "MX", 20.5888, -100.3899},
	{"São Paulo", "BR", -23.5505, -46.6333}, {"Fortaleza", "BR", -3.7319, -38.5267}, {"Hong Kong", "HK", 22.3193, 114.1694},
}

type realCompany struct {
	id, name, alias, kind, country, parent string
	provider                               bool // runs cloud regions
	regionPrefix                           string
}

var realCompanies = []realCompany{
	{"amazon", "Amazon", "Amazon.com", "conglomerate", "US", "", false, ""},
	{"aws", "Amazon Web Services", "AWS", "cloud-provider", "US", "amazon", true, "aws"},
	{"alibaba-group", "Alibaba Group", "阿里巴巴", "conglomerate", "CN", "", false, ""},
	{"alibaba-cloud", "Alibaba Cloud", "Aliyun", "cloud-provider", "CN", "alibaba-group", true, "ali"},
	{"microsoft", "Microsoft", "MSFT", "technology", "US", "", false, ""},
	{"azure", "Microsoft Azure", "Azure", "cloud-provider", "US", "microsoft", true, "az"},
	{"google", "Google", "Alphabet", "technology", "US", "", false, ""},
	{"google-cloud", "Google Cloud", "GCP", "cloud-provider", "US", "google", true, "gcp"},
	{"oracle", "Oracle", "OCI", "cloud-provider", "US", "", true, "oci"},
	{"sk-group", "SK Group", "SK", "conglomerate", "KR", "", false, ""},
	{"sk-telecom", "SK Telecom", "SKT", "telecom", "KR", "sk-group", false, ""},
	{"naver", "Naver", "네이버", "technology", "KR", "", false, ""},
	{"naver-cloud", "Naver Cloud", "NCP", "cloud-provider", "KR", "naver", true, "ncp"},
	{"openai", "OpenAI", "", "ai-lab", "US", "", false, ""},
	{"nvidia", "NVIDIA", "Nvidia", "chip-designer", "US", "", false, ""},
	{"g42", "G42", "Group 42", "technology", "AE", "", false, ""},
	{"softbank", "SoftBank", "ソフトバンク", "investor", "JP", "", false, ""},
	{"vodafone", "Vodafone", "", "telecom", "GB", "", false, ""},
	{"tencent-cloud", "Tencent Cloud", "腾讯云", "cloud-provider", "CN", "", true, "tc"},
	{"huawei-cloud", "Huawei Cloud", "华为云", "cloud-provider", "CN", "", true, "hw"},
}

// Words for invented company names: "Nordlys Data Centers", "Kaya Compute".
var (
	nameRoots = []string{
		"Nordlys", "Kaya", "Helion", "Meridian", "Arkadia", "Soltera", "Vantor", "Cobalt", "Lumen", "Orrin",
		"Tessel", "Quarra", "Ember", "Halden", "Saffra", "Brightwater", "Ironbark", "Kestrel", "Polaris", "Yuna",
		"Hanbit", "Daehan", "Sakura", "Kirin", "Lotus", "Garuda", "Sahara", "Atlas", "Boreal", "Cygnus",
		"Zephyr", "Aurora", "Tidal", "Granite", "Summit", "Harbor", "Redwood", "Silica", "Vektor", "Zenit",
	}
	nameSuffixes = []string{
		"Data Centers", "Compute", "Cloud", "Digital", "Infrastructure", "Networks", "Capital", "AI",
		"Hyperscale", "Edge", "Telecom", "Energy", "Partners", "Systems",
	}
	companyKinds = []string{"cloud-provider", "telecom", "technology", "investor", "customer", "ai-lab", "networking", "conglomerate"}

	facilityWords = []string{"AI Campus", "Data Center", "Hyperscale Campus", "AI Factory", "Compute Hub", "Cloud Campus", "Edge Site"}
	gpuModels     = []string{"NVIDIA H100", "NVIDIA H200", "NVIDIA GB200", "NVIDIA B200", "AMD MI300X", "Huawei Ascend 910C", "Google TPU v5p"}

	// Publishers are invented: a synthetic dataset must not put words in
	// the mouths of real newspapers.
	publishers = []struct{ name, lang, slug string }{
		{"Datacenter Daily", "en", "datacenter-daily"}, {"Cloud Ledger", "en", "cloud-ledger"},
		{"Asia Compute Review", "en", "asia-compute-review"}, {"Il Corriere del Cloud", "it", "corriere-cloud"},
		{"Rechenzentrum Rundschau", "de", "rz-rundschau"}, {"Le Journal du Cloud", "fr", "journal-du-cloud"},
		{"Gulf Infrastructure Wire", "en", "gulf-infra-wire"}, {"La Gazzetta dei Dati", "it", "gazzetta-dati"},
	}
	headlineWords = []string{"expands", "doubles down", "bets big", "accelerates", "breaks ground", "teams up", "unveils plans"}
)

// currencies with their USD reference value (units per USD) and the weight
// with which investments are announced in them.
var currencies = []struct {
	code   string
	perUSD float64
	weight int
}{
	{"USD", 1, 40}, {"EUR", 0.92, 14}, {"CNY", 7.2, 14}, {"KRW", 1350, 8}, {"JPY", 145, 6}, {"GBP", 0.79, 5},
	{"AED", 3.6725, 4}, {"SGD", 1.35, 3}, {"INR", 83, 3}, {"SAR", 3.75, 2}, {"BRL", 5.0, 1},
}
