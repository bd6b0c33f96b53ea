package suggest

import "strings"

// The word lists below were written for Gloss by hand (no outside source;
// same licence as the rest of the code). They are deliberately short: the
// words news prose uses around figures, speech and names.

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[strings.ToLower(w)] = true
	}
	return m
}

// smallNumbers are number words with their values ("one" is left out: it
// is nearly always a determiner, "one aid worker").
var smallNumbers = map[string]float64{
	"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}

// scales multiply the number before them ("three million").
var scales = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

// magnitudes are numbers said by their order ("thousands of"): the decade.
var magnitudes = map[string]float64{"hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}

// dozens is two dozen to a hundred.
const dozensLow, dozensHigh = 24, 100

// futureWords before a date in its sentence put a month or weekday
// without a year ahead of the publication date ("will begin in January").
var futureWords = set(`will would shall 'll expected scheduled due plans planned planning intends next upcoming`)

// fractions said in words, as percentages, when "of" follows.
var fractions = map[string]float64{"half": 50, "quarter": 25, "third": 100.0 / 3, "thirds": 200.0 / 3, "quarters": 75}

// qualifiers stand before a figure and belong to its span; the number
// stated stays the value.
var qualifiers = [][]string{
	{"as", "many", "as"}, {"as", "few", "as"}, {"as", "much", "as"}, {"up", "to"}, {"at", "least"}, {"at", "most"},
	{"more", "than"}, {"less", "than"}, {"fewer", "than"}, {"close", "to"}, {"an", "estimated"}, {"estimated"},
	{"some"}, {"about"}, {"around"}, {"nearly"}, {"almost"}, {"approximately"}, {"roughly"}, {"over"}, {"just"},
}

// timeUnits after a number make it a duration or an age, not a figure.
var timeUnits = set(`year years month months week weeks day days hour hours minute minutes decade decades
	century centuries year-old years-old month-old`)

// peopleNouns count people: their figures are in people.
var peopleNouns = set(`people persons individuals refugees defectors migrants escapees immigrants emigrants
	asylum-seekers seekers children men women workers officials civilians soldiers troops prisoners
	detainees victims residents citizens members families students activists volunteers survivors
	deportees returnees orphans adults teenagers girls boys farmers laborers labourers staff police
	personnel nationals dead deaths casualties voters followers believers neighbours neighbors
	patients pupils teachers doctors nurses journalists reporters protesters demonstrators`)

// collectiveNouns count their members: "a family of seven".
var collectiveNouns = set(`family group team party crew delegation`)

// perPeriod after a figure makes it a rate.
var perPeriod = map[string]string{"year": "per year", "month": "per month", "week": "per week", "day": "per day", "annually": "per year"}

// stopAfterFigure ends the noun phrase of what is counted.
var stopAfterFigure = set(`a an the this that these those who which whom whose what when where while
	and or but nor so yet because although though if than as at by for from into onto with without
	about after before during since until to via per
	is are was were be been being am has have had do does did will would shall should can could may
	might must seek seeks sought still already also even only just now then there here it its they
	them their he she his her we our you your i my not no never`)

// speechVerbs introduce what someone said.
var speechVerbs = set(`said say says saying told tells tell added adds stated states insisted insists
	insisting stressed stresses stressing claimed claims claiming estimated estimate estimates estimating
	reported complained complains warned warns denied denies denying describes described describing
	argued argues noted explained explains announced announces acknowledged admitted maintained
	maintains contended asserted asserts alleged alleges predicted predicts urged urges`)

// auxiliaries between a speaker and the verb ("have said", "are insisting").
var auxiliaries = set(`has have had is are was were will would also later recently reportedly often
	repeatedly had been previously earlier once again`)

// clauseWords start a clause: a speaker is looked for after the last one.
var clauseWords = set(`but while when as so because although though since after before until and what which that who whom whose if`)

// leadingWords are dropped from the front of a speaker or a name.
var leadingWords = set(`but and so yet however as then also meanwhile still thus the a an`)

// titles stand before a person's name.
var titles = set(`dr dr. mr mr. ms ms. mrs mrs. prof prof. professor president spokesperson spokesman
	spokeswoman minister ambassador director chairman chairwoman secretary senator governor general
	reporter commissioner leader chief envoy premier king queen prince pastor father rev rev. sister
	brother judge justice representative`)

// pronouns stand for the last speaker.
var pronounSubjects = set(`he she they we i`)

// orgWords make a run of capitalized words an organisation.
var orgWords = set(`university institute institution center centre committee alliance school service
	council agency association foundation organization organisation ministry department party church
	commission commissioner office nations herald tribune times post press monitor news network bank
	fund corporation company inc ltd society union federation forum program programme campaign coalition
	watch army navy police court parliament congress senate assembly embassy consulate mission bureau
	authority academy college hospital club league movement front administration government radio
	television broadcasting journal gazette daily weekly magazine review international friends cross
	crescent programme`)

// orgNouns before a name say it is an organisation: "the aid agency Good Friends".
var orgNouns = set(`agency group organization organisation organisations organizations ngo charity
	newspaper company firm institute association network party movement coalition`)

// leadStrip are words that start a sentence or a phrase before a name
// ("But Gordon Flake", "The U.S. Committee") and are not part of it.
var leadStrip = set(`the a an but and or so yet as in on at of for by to from with without into
	under over after before since during until while when where which who what this that these those
	there here it its he she they we i you my our your his her their
	some many most few any all each every no not apart almost about according also although though
	however meanwhile moreover once still then thus yes breaking`)

// nonNameWords are capitalized words that are not parts of people's names.
var nonNameWords = set(`the a an but and or so yet as in on at of for by to from with without into
	under over after before since during until while when where which who what this that these those
	there here it its he she they we i you my our your his her their
	some many most few any all each every no not apart almost about according also although though
	however meanwhile moreover once still then thus yes
	monday tuesday wednesday thursday friday saturday sunday
	january february march april may june july august september october november december
	war wars olympics olympic games convention treaty river province prefecture street road avenue
	mountains mountain sea ocean island islands bay lake valley desert peninsula region district county
	city state states kingdom republic rights reserved copyright copyrighted breaking news accessibility
	editor editors note comments contact published updated page home archives human
	north south east west northeast northwest southeast southwest northern southern eastern western
	central international national federal world global asian european african american
	refugees refugee report reports members ties family families one two three four five six seven
	eight nine ten hundreds thousands millions`)

// places and peoples: countries, cities and demonyms news about this corpus
// (and most news) names. Lower case; a run of capitalized words that holds
// one is not a person.
var places = set(`afghanistan albania algeria america americas angola argentina armenia asia australia
	austria bangladesh beijing belarus belgium berlin bolivia bosnia brazil britain bulgaria burma
	cambodia canada chile china colombia congo croatia cuba cyprus czech denmark egypt england
	ethiopia europe finland france georgia germany ghana greece guatemala haiti hanoi hong kong hungary
	india indonesia iran iraq ireland israel italy japan jordan kazakhstan kenya korea kosovo kuwait
	laos lebanon libya london macau malaysia mexico mongolia morocco moscow myanmar nepal netherlands
	new york nigeria norway pakistan palestine paris peru philippines poland portugal pyongyang
	qatar romania russia rwanda saudi arabia scotland seoul serbia shanghai singapore slovakia somalia
	spain sudan sweden switzerland syria taipei taiwan tajikistan tanzania thailand tibet tokyo turkey
	uganda ukraine uzbekistan venezuela vietnam wales washington yemen zimbabwe bangkok ulan bator
	jilin yanbian liaoning heilongjiang shenyang dandong yanji tumen chongjin hamgyong sinuiju
	manchuria siberia vladivostok geneva brussels ottawa canberra manila jakarta delhi kabul baghdad
	tehran cairo nairobi
	afghan albanian american arab asian australian british burmese cambodian canadian chinese
	cuban dutch egyptian english european filipino finnish french german greek indian indonesian
	iranian iraqi irish israeli italian japanese korean koreans khmer lao laotian malaysian mexican
	mongolian mongolians nepalese pakistani palestinian polish portuguese russian russians saudi
	scottish spanish swedish swiss syrian taiwanese thai tibetan turkish ukrainian vietnamese
	western eastern southern northern african americans asians europeans chinese-korean korean-chinese
	korean-american n nk u.s. us usa uk un-`)

// acronymStop are short capitals that are not organisations.
var acronymStop = set(`nk n us usa uk am pm tv ok id ngo ngos ii iii iv dprk prc rok ceo`)

// monthNames and dayNames for dates.
var monthNames = map[string]int{"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}

var dayNames = map[string]int{"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6}

// datePrepositions may stand before a date and belong to its span.
var datePrepositions = set(`in on since by until till during from before after throughout of around`)

// personRoles are words for one person by what they do: a speaker the
// text names only so ("one aid worker", "an expert on North Korea") is a
// person; other unnamed speakers ("aid workers", "civic groups") are taken
// for organizations (guessType).
var personRoles = set(`worker expert activist official spokesman spokeswoman spokesperson analyst researcher
	diplomat defector refugee migrant man woman witness resident priest pastor missionary director professor
	scholar journalist reporter lawyer doctor teacher student farmer soldier guard broker source`)
