package registry

import (
	"regexp"
	"strings"
)

// Parameter keys and values Dubbo's registries use (CommonConstants,
// RegistryConstants).
const (
	KeyInterface           = "interface"
	KeyApplication         = "application"
	KeyGroup               = "group"
	KeyVersion             = "version"
	KeyCategory            = "category"
	KeySide                = "side"
	KeyDubbo               = "dubbo"
	KeyRelease             = "release"
	KeyMethods             = "methods"
	KeyTimestamp           = "timestamp"
	KeyWeight              = "weight"
	KeyTimeout             = "timeout"
	KeyEnabled             = "enabled"
	KeyDisabled            = "disabled"
	KeyClassifier          = "classifier"
	KeySerialization       = "serialization"
	KeyPreferSerialization = "prefer.serialization"
	KeyProtocol            = "protocol"
	KeyPort                = "port"

	CategoryProviders     = "providers"
	CategoryConsumers     = "consumers"
	CategoryRouters       = "routers"
	CategoryConfigurators = "configurators"

	// ProtocolEmpty is the protocol of the placeholder URL Dubbo-Java notifies
	// when a category has no entries: "empty://..." means no providers.
	ProtocolEmpty = "empty"
	// ProtocolDubbo is the protocol this project speaks.
	ProtocolDubbo = "dubbo"

	anyValue = "*"
)

// IsMatch reports whether a provider URL serves what a consumer URL asks
// for, by Dubbo-Java's rules (UrlUtils.isMatch, and RegistryDirectory for
// disabled):
//   - interface equal, or "*" on either side;
//   - the provider's category (default providers) among the consumer's
//     (default providers; "*" for all, "-x" to exclude one);
//   - the provider not enabled=false (unless the consumer asks enabled=*) nor
//     disabled=true;
//   - group: the consumer's "*", equal, or one of its comma-separated list;
//   - version: the consumer's "*" or equal;
//   - classifier: the consumer's absent or "*", or equal.
//
// Equal means equal as Java compares possibly-null strings: an absent
// parameter equals only an absent one, so a provider that wrote group= (empty)
// is not found by a consumer without a group. An empty:// provider URL never
// matches. The protocol is compared only when the consumer's URL has one and
// it is not "consumer".
func IsMatch(consumer, provider *URL) bool {
	if provider.Protocol == ProtocolEmpty {
		return false
	}
	if consumer.Protocol != "" && consumer.Protocol != "consumer" && consumer.Protocol != provider.Protocol {
		return false
	}
	ci, pi := consumer.Interface(), provider.Interface()
	if ci != anyValue && pi != anyValue && ci != pi {
		return false
	}
	if !isMatchCategory(category(provider), category(consumer)) {
		return false
	}
	if !usable(provider) && consumer.Params[KeyEnabled] != anyValue {
		return false
	}
	cg, cgOK := consumer.Param(KeyGroup)
	pg, pgOK := provider.Param(KeyGroup)
	if !(cgOK && cg == anyValue) && !(cgOK == pgOK && cg == pg) && !(cgOK && pg != "" && containsInList(cg, pg)) {
		return false
	}
	cv, cvOK := consumer.Param(KeyVersion)
	pv, pvOK := provider.Param(KeyVersion)
	if !(cvOK && cv == anyValue) && !(cvOK == pvOK && cv == pv) {
		return false
	}
	cc, ccOK := consumer.Param(KeyClassifier)
	pc, pcOK := provider.Param(KeyClassifier)
	if !pcOK {
		pc = anyValue
	}
	return !ccOK || cc == anyValue || cc == pc
}

// category is URL.getCategory(DEFAULT_CATEGORY): absent or empty is providers.
func category(u *URL) string {
	if c := u.Params[KeyCategory]; c != "" {
		return c
	}
	return CategoryProviders
}

// isMatchCategory is UrlUtils.isMatchCategory, substring tests included.
func isMatchCategory(category, categories string) bool {
	switch {
	case categories == "":
		return category == CategoryProviders
	case strings.Contains(categories, anyValue):
		return true
	case strings.Contains(categories, "-"):
		return !strings.Contains(categories, "-"+category)
	}
	return strings.Contains(categories, category)
}

// usable: disabled=true, or else enabled=false, takes a provider out.
func usable(u *URL) bool {
	if v, ok := u.Params[KeyDisabled]; ok {
		return !strings.EqualFold(v, "true")
	}
	v, ok := u.Params[KeyEnabled]
	// Java's getParameter(key, true): an empty value is the default.
	return !ok || v == "" || strings.EqualFold(v, "true")
}

var commaSplit = regexp.MustCompile(`\s*[,]+\s*`)

// containsInList is StringUtils.isContains(values, value): value is one of the
// comma-separated values.
func containsInList(values, value string) bool {
	if values == "" {
		return false
	}
	for _, v := range commaSplit.Split(values, -1) {
		if v == value {
			return true
		}
	}
	return false
}
