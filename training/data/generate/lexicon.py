"""The generator's lexicon: the indicator catalogue grounded in published threshold guidance,
and the phrasing used to write contacts.

Each :class:`IndicatorSpec` maps a concern to a level of need (1 universal, 2 early help,
3 child in need, 4 protection; see shared/domain/FIGURES.md "Levels of need") and to the
DfE Children in Need factor or threshold indicator it stands for. ``asserted`` holds
clause templates that state the concern as present; ``topics`` holds noun phrases for the
same concern, which the generic negation, history and hedging frames below wrap, so every
keyword of a severe contact also appears negated, historical or hedged in other contacts.

Template slots: ``{child}`` ``{mum}`` ``{dad}`` ``{partner}`` ``{sib}`` ``{rel}`` (people,
rendered as names or roles), ``{he}`` ``{his}`` ``{him}`` (the child's pronouns),
``{when}`` (a time qualifier), ``{school}`` (a school name), ``{baby_age}`` (e.g. "9 weeks").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "ABBREVIATIONS",
    "BIAS_CUES",
    "CLOSINGS",
    "CONTEXT",
    "HEDGES",
    "HISTORICAL_CLAUSE_FRAMES",
    "HISTORICAL_FRAMES",
    "HEDGED_CLAUSE_FRAMES",
    "NEGATED_CLAUSE_FRAMES",
    "HEDGED_FRAMES",
    "INDICATORS",
    "INDICATOR_BY_LABEL",
    "IndicatorSpec",
    "NEGATED_FRAMES",
    "PROCESS",
    "PROTECTIVE",
    "THIRD_HAND_FRAMES",
    "VOICES",
    "Voice",
    "WHEN",
]


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One risk indicator the generator can write into a contact.

    ``level`` is the level of need (1-4) the guidance gives it; ``factor`` the DfE factor
    or threshold indicator it maps to; ``weight`` its contribution to the latent severity
    when asserted first hand; ``group`` names the combination it takes part in ("da",
    "substance", "parent_mh", "pregnancy", "baby", "early_help" or ""); ``prevalence`` is its
    relative frequency among asserted concerns; ``ages`` the inclusive child-age range it
    can apply to; ``sources`` the referral sources that raise it most often.
    """

    label: str
    level: int
    factor: str
    weight: float
    group: str
    prevalence: float
    ages: tuple[int, int]
    female_only: bool
    sources: tuple[str, ...]
    asserted: tuple[str, ...]
    topics: tuple[str, ...]


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


_LEVEL_WEIGHT: Final = {1: -0.4, 2: 0.85, 3: 2.3, 4: 3.7}


def _ind(
    label: str,
    level: int,
    factor: str,
    *,
    prevalence: float,
    asserted: str,
    topics: str,
    group: str = "",
    ages: tuple[int, int] = (0, 17),
    female_only: bool = False,
    sources: tuple[str, ...] = (),
    extra_weight: float = 0.0,
) -> IndicatorSpec:
    return IndicatorSpec(
        label=label,
        level=level,
        factor=factor,
        weight=_LEVEL_WEIGHT[level] + extra_weight,
        group=group,
        prevalence=prevalence,
        ages=ages,
        female_only=female_only,
        sources=sources,
        asserted=_lines(asserted),
        topics=_lines(topics),
    )


INDICATORS: Final[tuple[IndicatorSpec, ...]] = (
    # ---------------- level 4: reasonable cause to suspect significant harm ----------------
    _ind("disclosure_physical_abuse", 4, "physical abuse, adult on child", ages=(3, 17), prevalence=2.2, sources=("school",),
         asserted="""
         {child} disclosed that {mum} hit {him} with a belt {when}
         {child} told staff 'dad punches me when he is angry' and showed a mark on {his} arm
         {child} said {partner} slapped {him} across the face and {he} was scared to go home
         during a lesson {child} became upset and said {he} gets hit with a slipper if {he} is naughty
         {child} disclosed to {his} teacher that {dad} grabbed {him} by the neck and threw {him} on the bed
         {child} said that mum's boyfriend kicks {him} and that it happens 'loads'
         {child} told the TA that {he} was beaten by {dad} {when} because {he} lost {his} phone
         {child} has said {mum} hits {him} with a wooden spoon and {he} does not want to go home tonight
         {child} disclosed being smacked hard enough to leave marks, and said not to tell anyone
         {child} said 'my mum pulled my hair and hit my head on the wall'
         {child} came to the office holding {his} arm and said 'dad done it cos I was cheeky'
         in circle time {child} said {mum} 'whacks' {him} with the hairbrush when {he} won't sit still
         {child}, aged {age}, told me {he} got a 'hiding' off {partner} {when} and {his} back still hurts
         c/o sore leg - on gentle questioning {child} said {partner} kicked {him} for spilling a drink
         {child} wrote in {his} journal that {he} gets hit at home and begged staff not to show anyone
         {child} told the school nurse {dad} punched {him} in the stomach and {he} is scared it will happen again tonight
         'I'm not allowed to cry or I get it worse' - {child}, when the TA asked about the mark on {his} neck
         {child} flinched when the teacher raised a hand to point at the board and later said {he} gets slapped when {he} is 'bad'
         {child} turned up with a swollen ear and said {mum} clipped {him} round the head, 'it's normal in our house'
         at the end of the day {child} said quietly that {mum} 'went mad' and hit {him} with a shoe, then asked if {he} was in trouble
         {child} has a red handprint on {his} cheek and says {partner} did it because {he} wouldn't go to bed
         {child} said {he} doesn't want to go home because {dad} 'battered' {him} {when}
         DSL email: {child} disclosed this morning that {he} is hit with a cable when {he} gets answers wrong on {his} homework
         {child} told {his} friend {dad} throws {him} against the wall when he is in a mood, the friend came straight to staff and {child} confirmed it
         {child} said 'dont tell mum i told u but she hits me wiv the belt when im bad'
         I don't like to interfere, I've known them for years, but {child} was round mine on Sunday and when I asked about the mark on {his} arm {he} said {dad} did it and started crying
         disclosure of being hit by {partner}, mark seen to L arm
         """,
         topics="""
         physical chastisement
         hitting at home
         disclosures of being hit
         physical abuse
         being smacked or hit by a parent
         physical harm at home
         being hurt by a parent
         physical punishment
         marks from being hit
         hitting by an adult
         """),
    _ind("non_accidental_injury", 4, "physical abuse, adult on child", prevalence=1.6, sources=("health", "school"),
         asserted="""
         {child} presented with a spiral fracture of the left arm and the explanation given does not fit the injury
         staff noticed finger-tip bruising to both of {child}'s upper arms, {mum} could not explain how it happened
         {child} has a burn on {his} hand that looks like a cigarette burn, explanation keeps changing
         {child} attended A&E with a head injury, delayed presentation of over 24 hours and inconsistent accounts from {mum} and {partner}
         {child} came into school with a black eye and a cut lip and gave three different accounts of how it happened
         there are linear bruises on {child}'s back and legs which the paediatrician thinks are non-accidental
         {child} has bite marks on {his} arm that appear to be adult-sized
         a skeletal survey showed old healing rib fractures of different ages
         {child} had unexplained bruising to the ears and neck {when}
         {child} has a ring of small round bruises on {his} upper arm, {mum} thinks {he} 'must have done it at school'
         x-ray shows a fracture to {child}'s wrist, {mum} says {he} fell off the sofa but the doctors say the injury does not fit that
         there is a loop-shaped mark on {child}'s thigh which looks like it could be from a cable, no explanation given
         A&E: scalds to both feet in a sock pattern, the history of 'stepped into the bath' is not consistent
         PE teacher noticed bruises of different colours on {child}'s back while {he} was getting changed, {he} went very quiet when asked
         {child} has a torn frenulum and {mum}'s account of how it happened has changed twice
         GP saw {child} with a healing broken collarbone that nobody had brought for treatment
         bruising behind both ears and on the side of the neck, {child} says {he} 'doesn't know' how it happened
         {child} has a black eye - {dad} says {he} walked into a door, {child} says {he} fell down the stairs
         the paediatrician's opinion is that the marks on {child}'s buttocks were inflicted
         {child} has grip marks round both wrists and a bald patch where hair appears to have been pulled out
         {child} had small burns on {his} forearm, the shape of which matches the end of a lighter, and {partner} said 'kids burn themselves'
         c/o sore ribs, bruised L side of chest, no hx of a fall, {child} won't say
         staff noticed {child} limping and found a swollen ankle with bruising, {mum} says it happened a week ago and didn't think it needed seeing
         bruised ear on {child}, no explanation
         the nurse practitioner wasn't happy with the story, {child} has a fracture {mum} says happened falling off the bed but there was a delay of three days before {he} was brought in and {partner} was doing all the talking
         """,
         topics="""
         non accidental injury
         NAI
         unexplained injuries
         suspicious bruising
         marks or injuries
         unexplained bruising
         injuries with no clear explanation
         inflicted injury
         physical injury
         suspicious fractures
         """),
    _ind("bruising_non_mobile_baby", 4, "physical abuse, adult on child", prevalence=0.9, group="baby", ages=(0, 0), sources=("health",), extra_weight=0.6,
         asserted="""
         HV noticed a small bruise on {child}'s cheek, {child} is {baby_age} old and not yet rolling
         {child} ({baby_age}) has a bruise to the forehead, parents say {he} banged {his} head on the cot
         bruise noted on baby's thigh at the {baby_age} check, non-mobile baby
         {mum} brought {child} to the GP with bruising on the chest, {child} is {baby_age} and cannot crawl
         baby {child} was seen with two small bruises on {his} ear, no explanation offered
         during the visit I saw a bluish mark on {child}'s leg, baby is {baby_age} and non mobile
         A&E: non-mobile infant aged {baby_age} with bruising to the torso, protocol for bruising in non-mobile babies followed
         a petechial bruise was seen on {child}'s face at the weigh clinic, baby is not yet mobile
         {child} is {baby_age} and has a bruise on {his} arm that {mum} says happened when {sib} was playing with {him}
         small blue mark on {child}'s cheek, {mum} says the toddler did it
         {child} is {baby_age} and has a tiny bruise on {his} ear, parents are not sure how it got there
         HV: faint yellowish mark on the baby's upper arm, {mum} thinks it was the car seat strap
         {mum} mentioned a little purple mark on {child}'s chest and said {sib} must have hugged too hard
         at the weigh-in I noticed a bruise on the inside of {child}'s thigh, baby is {baby_age} and not rolling yet
         GP: {baby_age} old, not mobile, two fingertip sized bruises on the lower back, parents say {he} 'bruises easily'
         there is a mark on {child}'s forehead which {dad} says came from the bouncer, {child} is {baby_age}
         midwife noticed bruising to {child}'s upper lip at the postnatal check and a torn frenulum
         small bruise under the baby's eye, {mum} said {he} must have hit {him}self with {his} dummy
         {dad} brought {child}, {baby_age}, to the walk-in centre with a swollen leg and no history of any fall
         baby room staff noticed a bruise on {child}'s cheek at drop off, {child} is {baby_age} and cannot sit up unaided
         'oh that, {sib} was playing with {him}' - {mum}, about the mark on the baby's face
         {child} is {baby_age}, petechiae round the neck noted by the HV, parents had not noticed
         non-mobile infant, {baby_age}, two small bruises to the shin, explanation: 'kicked the cot bars'
         bruise on baby's cheek, {baby_age}, not mobile
         the HV was only there to weigh {child} but noticed a little mark under {his} chin, {mum} said she thought it was dribble rash but it looked like a bruise, {child} is only {baby_age}
         """,
         topics="""
         bruising on the baby
         any marks or bruises on the baby
         injuries to the infant
         bruising
         bruises or marks on the baby
         marks on the infant
         injury to the baby
         bruising in a non-mobile baby
         """),
    _ind("disclosure_sexual_abuse", 4, "sexual abuse, adult on child", ages=(3, 17), prevalence=0.9, sources=("school", "health"),
         asserted="""
         {child} disclosed that {partner} touches {him} in {his} private parts when {mum} is at work
         {child} told a friend, who told the teacher, that an uncle made {him} do sexual things
         {child} said {dad} gets into {his} bed at night and it hurts
         {child} has disclosed rape by a family friend {when}
         {child} told the school nurse that {partner} shows {him} videos of naked people and makes {him} keep secrets
         {child} disclosed sexual abuse by an older cousin at family gatherings
         {child} drew a picture of sexual activity and said 'that's what {partner} does to me'
         {child} told staff that a man at the house took photos of {him} without clothes on
         {child} told {his} teacher that {partner} plays a 'secret game' with {him} under the covers
         {child} said {his} uncle puts his hand in {his} pants when he babysits
         {child}, aged {age}, disclosed that {dad} made {him} touch him and said it was their secret
         'he hurts my bum at night' - {child}, to the TA, talking about {partner}
         {child} told the school nurse that a lodger at the house has been coming into {his} room at night and touching {him}
         {child} said {his} 17 year old stepbrother made {him} do things {he} didn't want to do in the bedroom
         {child} disclosed to {his} CAMHS worker that {he} was sexually assaulted by a family member over several years
         {child} told police that a man at {dad}'s flat made {him} watch porn and then touched {him}
         {child} messaged {his} form tutor on the school app saying {partner} 'does stuff to me' when {mum} is at work
         {child} told a friend {he} had been raped by an adult at a party, the friend told the DSL and {child} confirmed it
         {child} asked the teacher if it is normal for grown ups to kiss children 'on the private bits'
         {child} said a man {mum} knows gives {him} sweets to keep quiet about what he does in the bathroom
         {child} said 'he makes me do rude stuff and says its our secret', talking about {partner}
         child disclosure of sexual touching by {dad}, made to the class teacher this morning
         """,
         topics="""
         sexual abuse
         sexual harm
         inappropriate touching
         sexual disclosures
         sexual abuse concerns
         touching
         sexual assault
         inappropriate contact of a sexual nature
         """),
    _ind("child_sexual_exploitation", 4, "child sexual exploitation", prevalence=0.9, ages=(11, 17), sources=("police", "school", "other"),
         asserted="""
         {child} has been seen getting into cars with older men near the takeaway and comes back with new phones and clothes
         {child} has an older 'boyfriend' aged 24 who picks {him} up from school and gives {him} alcohol
         police found {child} in a hotel room with two adult males {when}
         {child} is being sent to parties at a flat where older men give {him} drugs and there are concerns of sexual exploitation
         {child} has been sharing indecent images with an adult met on Snapchat who is now threatening {him}
         {child} comes home with unexplained gifts and money and has a second phone {mum} didn't know about
         {child} was reported missing and located at the address of a known adult male with CSE markers
         {child} told a friend {he} has to have sex with the men to pay back a debt
         {child} is only {age} and has a boyfriend in his mid twenties who buys {him} things
         {child} has been getting lifts from a man in his 30s who {he} calls {his} 'friend'
         {child} has new nails, a new phone and designer trainers and won't say where any of it came from
         {child} has been staying out at a flat above the shops where older men hang around
         {child} has been chatting to a 'boy' online who turned out to be an adult and keeps asking to meet up
         police intelligence links {child} to an address where young people are given alcohol and drugs for sex
         {child} was found drunk in the back of a car with two adult males at 2am
         {child} says {he} is 'going out with' an older lad who has his own flat and car
         a different taxi has been dropping {child} home in the early hours, the fares are being paid by someone else
         {child} told {his} youth worker {he} has to keep sending pics to an older lad or he will share the ones he already has
         {child} got into a car with adults outside school and staff could not identify them, the third time this month
         {child}, aged {age}, has been 'seeing' a man of 29 who {mum} has met and thinks is 'nice'
         {child} has been going to 'parties' in {town2} and coming back with love bites and money
         DSL: {child} was seen being handed vodka by a group of men in the park and then leaving in their car
         {child} keeps going off with older men in cars, comes back with stuff
         my granddaughter's friend {child} is only {age} and there's a man in his twenties who keeps messaging {him} on the phone and buying {him} things, takes {him} out in his car, I've seen it myself, the mum doesn't seem to know
         """,
         topics="""
         CSE
         sexual exploitation
         contact with older men
         grooming
         older men giving gifts
         older boyfriends
         exploitation
         being groomed
         CSE risk
         gifts from adults
         """),
    _ind("child_criminal_exploitation", 4, "child criminal exploitation", prevalence=1.0, ages=(11, 17), sources=("police", "school", "other"),
         asserted="""
         {child} was found in another county with 20 wraps of crack cocaine and £400 in cash, believed to be county lines
         {child} is being used to carry drugs by older males and has been threatened with a knife
         {child} was arrested in a trap house {when} miles from home
         {child} has a debt to a local dealer and is being made to run drugs to pay it off
         {child} has been stabbed in the leg and refuses to say who did it, associated with a known line
         {child} has been going missing and turning up in {town2} with a burner phone and large amounts of money
         {child} told {his} youth worker {he} is 'working' for older boys and can't stop or they will hurt {his} family
         {child} was picked up by a car with unknown older men and dropped back at 4am with cash and no explanation
         police stopped {child} on a train to the coast carrying a rucksack of drugs that {he} said belonged to 'a mate'
         {child} was found in a flat in {town2} with two older males and several phones, the flat is believed to be cuckooed
         {child} keeps getting calls on a phone {mum} didn't buy and goes out straight after each one
         {child} has been excluded and is spending time with a 20 year old who drives {him} around at night
         officers found {child} with wraps plugged internally and {he} said {he} was 'made to'
         {child} has new designer clothes and over £300 hidden in {his} bedroom and won't explain it
         {child} came home with a black eye and said {he} 'lost a package' and now owes money
         {child} was stopped at the station in {town2} on a school day with a one-way ticket and two phones
         {child} told {his} teacher older lads 'know where I live' and {he} has to do what they say
         {child} is being picked up at the end of the road by a different car most nights and comes back with cash
         'if I stop they'll hurt my mum' - {child}, when asked about the second phone
         missing young person {child} located in a known drug house in {town2}, 70 miles from home, with cash and a burner
         {child} has been 'holding' a bag for someone and says {he} can't give it back or {he} will get shanked
         {child}'s bank account has had large sums going in and straight out again and {he} says {he} is 'doing a favour'
         {child} has been spotted in the stairwell of a block of flats known for dealing, at 1am on a school night
         ?CCE - {child} found in {town2} with 2 phones and cash
         {child} is out at all hours, {mum} says {he} gets picked up by lads in cars she doesn't know, and {he} has had cash and new trainers and {he} went missing to {town2} last week where the police found {him} in a flat with drugs
         """,
         topics="""
         county lines
         criminal exploitation
         CCE
         drug running
         exploitation by older males
         being used to move drugs
         cuckooing
         county lines involvement
         criminal exploitation risk
         """),
    _ind("under_13_pregnant", 4, "sexual abuse, adult on child", prevalence=0.15, ages=(11, 12), female_only=True, sources=("health", "school"),
         asserted="""
         {child} is 12 years old and has had a positive pregnancy test at the GP
         {child} ({his} age is 12) attended the sexual health clinic and is pregnant, father of baby thought to be 17
         school nurse confirmed {child} is approximately 10 weeks pregnant, {child} is under 13
         {child}, aged 12, told {his} teacher {he} is pregnant by {his} 'boyfriend' who is older
         {child} is 12 and is pregnant, {mum} has known for a few weeks and did not tell anyone
         at the hospital it was found that {child} is pregnant, {he} is only 12
         {child} aged 12 has asked the school nurse for the morning after pill and says {he} has been having sex with an older boy
         {child} is 11 and pregnant, declined to name the father
         {child}, who is {age}, has been booked in with the midwife
         the pregnancy test at the school nurse drop-in was positive, {child} is in {school_year} and is {age}
         {child} told {mum} {he} is 'having a baby' and {mum} brought {him} to the GP, {child} is {age}
         {child} is aged {age} and the scan confirms a pregnancy of about 16 weeks
         GP: {age} year old, vomiting and no periods for 3 months, pregnancy test positive
         {child} is {age} and expecting, says the dad is 'a lad from the park'
         {child}, {age}, has told a friend {he} is pregnant and that the father is an adult
         {mum} rang the GP because {child}, age {age}, has a bump and has been hiding it under baggy jumpers
         {child} is {age} years old, pregnancy confirmed by the hospital, {he} will not say who the father is
         {child} asked the school nurse how long you can 'leave it' before it's too late for an abortion, {he} is {age} and the test was positive
         {child}, {age}, pregnant
         {child} is {age} and thinks {he} might be pregnant, the test done by the school nurse today was positive
         """,
         topics="""
         pregnancy
         sexual activity
         older boyfriends
         sexual activity under 13
         possible pregnancy
         early sexual activity
         pregnancy concerns
         """),
    _ind("fgm_risk", 4, "female genital mutilation", prevalence=0.12, ages=(0, 14), female_only=True, sources=("health", "school"),
         asserted="""
         {mum} has type 3 FGM and said {child} will have 'the cut' when they go to visit family in the summer
         {child} told a friend {he} is going on holiday to 'become a woman' and there will be a special ceremony
         {child} has been walking with difficulty since returning from a long trip abroad and said {he} was cut
         the midwife identified maternal FGM and {rel} has said the girls in the family will be cut
         {child} is due to travel abroad {when} and family members have spoken of an initiation for {him}
         {child} disclosed that {he} had a procedure 'down there' during the holidays
         {child} asked the school nurse what FGM is because {his} aunt told {him} it would happen to {him} soon
         there are concerns that {child} is at risk of FGM as an older sister was cut abroad
         {mum} told the midwife she was cut as a child and said it is 'part of our culture' for the girls
         {child} said {he} is going to {his} grandmother's country for a 'special party' where {he} will get 'a present', and that {he} mustn't tell
         {child} has been spending a long time in the toilet since the summer trip and seems withdrawn and in pain
         the family are planning a long trip to a high-prevalence country in term time and {rel} has talked about {child} being 'made clean'
         maternal FGM recorded at the new birth visit, {mum} did not want to discuss whether it would be done to {child}
         {child} asked {his} teacher if it hurts 'when they do the cutting'
         {child} has told friends {he} will be 'sewn' when {he} goes back home in the summer
         school are worried as {child}'s older sister was taken abroad at the same age and came back 'different' and off school for weeks
         {child} has come back from abroad and is having problems passing urine
         {dad} said his mother is insisting {child} has 'the procedure' and he feels he can't stop it
         FGM risk - {child}, family travelling abroad {when}, {rel} has spoken of 'the cut'
         """,
         topics="""
         FGM
         female genital mutilation
         risk of cutting
         cutting
         FGM concerns
         travel abroad for cutting
         risk of FGM
         """),
    _ind("trafficking_modern_slavery", 4, "trafficking", prevalence=0.15, ages=(8, 17), sources=("police", "other", "la_services"),
         asserted="""
         {child} arrived in the UK with an adult who is not a relative and is being made to work in a nail bar
         {child} was found working in a car wash for no pay and has no documents
         police found {child} in a cannabis factory, {he} speaks little English and says {he} owes money for the journey
         {child} does not attend school and is cleaning houses for the adults {he} lives with, identity documents held by them
         {child} was brought into the country by an 'uncle' and sleeps on the floor of a shop
         {child} has been moved between several addresses by adults and may be a victim of trafficking
         an NRM referral is being considered for {child} who was found working in a takeaway at 2am
         {child} was found sleeping at the back of a restaurant where {he} works long hours and is not paid
         {child} was found by officers in the back of a lorry at the services with no adult
         {child} looks older than {his} documented age, speaks no English, and the adult with {him} answers every question for {him}
         {child} is working in a family business until midnight every night and is not registered at any school
         {child} told the interpreter {he} was promised school in England but has to work to pay back the journey
         {child} was found at a hand car wash in {town2} sleeping on site, the owner says {he} is his nephew
         unaccompanied young person picked up near the port, says an agent brought {him} here and will 'come back for {him}'
         {child} has no passport - the man {he} lives with keeps it - and {he} is not allowed out alone
         the adults {child} lives with are not related to {him}, and {child} cooks and cleans for all of them all day
         {child} has been moved between three addresses in two months by people {he} calls 'the bosses'
         a customer at the nail bar said {child} works there every day, looks exhausted and is never paid
         ?trafficked - {child} found working at car wash, no documents, no adult carer
         """,
         topics="""
         trafficking
         modern slavery
         forced labour
         being trafficked
         exploitation for labour
         forced work
         trafficking indicators
         """),
    _ind("failure_to_thrive", 4, "neglect", prevalence=0.4, ages=(0, 3), sources=("health",),
         asserted="""
         {child} has dropped from the 50th to below the 2nd centile and {mum} has missed the last four weigh-ins
         {child} is faltering in weight, looks pale and listless, and {mum} is not following the feeding plan
         {child} has lost weight since birth and was admitted to the children's ward for failure to thrive
         paediatrician concerned {child} is severely underweight with no medical cause found
         {child} has not gained weight in 3 months and there is little food in the home
         the HV found {child} hungry and very thin, bottles not being made up properly
         {child} has had faltering growth for months and the family keep cancelling dietitian appointments
         {child} is wasted in appearance and the hospital found no organic reason
         {child} has been crossing down the centiles and is now on the 0.4th, {mum} says {he} is 'just a small baby'
         {child} felt light and bony when picked up, weight unchanged over the last two visits
         HV: wt static x3 visits, dropped 2 centile spaces, {mum} not keen on a GP review
         {child} is still in clothes for a much younger child and the paediatrician has found no medical reason
         {child} is taking only a few ounces a day and {mum} has been watering down the formula to make it last
         at the 1 year review {child} weighed less than at {his} 6 month check
         {child} put on weight steadily on the ward but lost it again within a week of going home
         {child} is floppy and pale and not meeting milestones, and {mum} missed both the dietitian and the paediatric clinic
         {mum} says {child} is 'a fussy feeder' but {he} has lost 10% of {his} body weight since the last visit
         nursery staff say {child} eats ravenously at lunch, asks for more every day and looks very thin
         FTT - {child} below 0.4th centile, repeated DNAs
         """,
         topics="""
         weight loss
         faltering growth
         feeding problems
         failure to thrive
         poor weight gain
         growth concerns
         weight
         feeding difficulties
         being underweight
         """),
    _ind("severe_neglect", 4, "neglect", prevalence=1.4, sources=("police", "health", "la_services"),
         asserted="""
         officers found the home in a squalid state with dog faeces on the floor, no food in the fridge and the children sleeping on a bare mattress
         {child} arrives at school starving every morning and has been taking food from other children's lunchboxes
         there was no electricity or heating in the property and {child} was in a wet nappy that had not been changed for hours
         {child} was found wandering in the street at 3am in a nappy while {mum} was asleep and could not be woken
         the house is filthy, rubbish piled in every room, mould on the walls, and the children have severe untreated head lice
         {child} is so hungry {he} has been eating out of bins
         {child} has rotting teeth, untreated infected eczema and is wearing the same soiled clothes all week
         the children were left without food for two days and neighbours have been feeding them
         there was no food at all in the kitchen, the fridge was switched off and {child} said {he} had not eaten since yesterday lunchtime
         officers found a bottle of curdled milk in the cot, flies everywhere and animal mess across the floors
         {child} was picking food out of the bin at school and eating it
         the children sleep on a urine-soaked mattress with no bedding and there are no working lights in the house
         {child} has untreated burns which have become infected and {he} smells strongly
         the front door was open at midnight, {child} and {sib} inside with no heating, no food and dog dirt on the stairs
         the house stinks, nappies are piled up in the bath and the children were sitting in the dirt barely dressed
         {child} was admitted with severe nappy rash, weight loss and lice, and the home has been found to be uninhabitable
         'we don't have tea at my house' - {child} to the lunchtime supervisor, who has seen {him} eating scraps off other plates
         a neighbour rang about the smell from the flat, officers found rubbish piled to the ceiling and the children dirty and hungry
         {child} has been coming in with the same maggot-infested dressing on {his} leg and says nobody at home changes it
         house in squalor, kids hungry, no food in
         I've been their neighbour for years and I've never seen it this bad, there's rubbish piled up at the windows, the smell is terrible, and {child} was knocking on my door asking for food because there's nothing in the house
         """,
         topics="""
         neglect
         poor home conditions
         the children going hungry
         squalid conditions
         dirty home conditions
         hunger
         squalor
         severe neglect
         children not being fed
         """),
    _ind("pregnant_domestic_abuse_victim", 4, "domestic abuse, parent victim", prevalence=0.7, group="da", sources=("health", "police"), extra_weight=-0.2,
         asserted="""
         {mum} is 28 weeks pregnant and was punched in the stomach by {partner} {when}
         midwife reports {mum}, who is pregnant, disclosed that {partner} strangled her during an argument
         {mum} is pregnant and has bruises to her face, she says {partner} pushed her down the stairs
         police attended following a DA incident, the victim {mum} is 7 months pregnant and was kicked
         {mum}, expecting her second baby, disclosed coercive control and that {partner} threatens to kill her if she leaves
         {mum} attended the antenatal clinic with a split lip and said {partner} did it, she is 20 weeks pregnant
         {partner} assaulted {mum} who is pregnant, he has previous DV convictions
         the pregnant victim said {partner} held a knife to her throat {when}
         {mum}, 32/40, disclosed at the appointment that {partner} 'gets rough' when he's had a drink
         officers attended, IP {mum} is pregnant, suspect {partner} kicked her in the back and stomach and has been arrested
         DASH high: victim 6 months pregnant, strangulation reported, suspect has previous for DA
         {mum} had bruises on both arms at the antenatal clinic and said she 'walks into things', {partner} would not leave the room
         {mum} is expecting and told the midwife {partner} has hit her several times since she found out
         {mum}, who is pregnant, rang 999 saying {partner} had locked her in and was threatening to hurt the baby
         {mum} is 16 weeks pregnant and has a black eye, she says {partner} 'didn't mean it'
         pregnant woman reports that {partner} pushed her against the wall and she has had some bleeding since
         {mum} mentioned quietly at the scan that {partner} takes her money and her phone and has pushed her over twice, she is 24 weeks
         midwife notes {mum} has missed three appointments and when finally seen had finger marks on her neck, she is 30 weeks
         pregnant, DA disclosed, {partner} punched her in the stomach
         """,
         topics="""
         domestic abuse in pregnancy
         DA during the pregnancy
         violence towards mum
         violence in pregnancy
         domestic abuse while pregnant
         abuse towards the pregnant mother
         DV in pregnancy
         """),
    _ind("risk_person_in_household", 4, "person posing a risk to children", prevalence=0.6, sources=("police", "other"),
         asserted="""
         {mum}'s new partner {partner} is a registered sex offender and has moved into the family home
         {partner}, who has convictions for offences against children, is staying at the address most nights
         probation advise that {partner}, a schedule 1 offender, is now in a relationship with {mum} and has contact with {child}
         {mum} has allowed {partner}, who is subject to a SHPO, to babysit {child}
         a man convicted of possessing indecent images of children is living with the family
         {partner} was released from prison {when} after serving a sentence for child cruelty and is back living with {mum}
         MAPPA have notified us that {partner} has formed a relationship with a mother of young children
         {mum} has started seeing a man who was convicted of sexual assault on a 14 year old and he stays over at weekends
         {mum} has a new boyfriend who police say has a conviction for sexual activity with a child
         {partner} is on the sex offenders register and was seen collecting {child} from school
         MAPPA nominal {partner} has given {address_ref} as his address
         {mum}'s new partner is known to police for indecent images offences and stays over most nights
         {partner} has an SHPO prohibiting unsupervised contact with children, but he is living with {mum} and {child}
         a man recently released from prison for assaulting his own children has moved in with the family
         {mum} met {partner} online a few weeks ago and he has already moved in, police hold that he has a conviction for hurting a child
         {mum} says she knows about {partner}'s 'past' but believes he has changed, and she lets him bath {child}
         probation: {partner}, convicted of grooming offences, has not disclosed his relationship with {mum}, who has young children
         {rel} is worried because {mum}'s lodger is a schedule 1 offender and is often left alone with {child}
         {mum}'s new fella has 'some history with kids' according to {mum} herself, and he is babysitting tonight
         RSO now living at the family home with {mum} and {child}
         """,
         topics="""
         risk to children in the household
         risk from sex offenders
         concerning adults in the home
         risky adults
         registered sex offenders
         offenders living at the address
         adults posing a risk to children
         """),
    _ind("domestic_abuse_child_injured", 4, "domestic abuse, child victim", prevalence=0.7, group="da", sources=("police",),
         asserted="""
         {child} was hurt when {partner} threw a glass at {mum} during an argument {when}
         {child} tried to protect {mum} and was punched by {partner}
         {child} was in {mum}'s arms when {partner} pushed her and both fell, {child} has a cut to the head
         during the domestic {partner} grabbed {child} by the arm leaving bruises
         {child} was injured by flying objects during a violent incident between {mum} and {dad}
         {child} was strangled by {dad} when {he} got in the way of the fight
         {child} called 999 from under the bed and was hit by {partner} when {he} was found
         {child} has a bruise on {his} cheek after being caught by a punch meant for {mum}
         {child} was hit in the face by a plate {partner} threw at {mum}
         officers attended, CYP has a cut to the forehead from broken glass during the assault on {mum}
         {child} has a scald from a kettle that was knocked over while {partner} was attacking {mum}
         {dad} shoved {child} into a door when {he} tried to stop him hitting {mum}
         during the domestic {partner} lashed out and caught {child} in the chest
         {child} said {he} got 'pushed out the way' by {partner} during the fight and banged {his} head
         DASH high, child injured: {child} was bitten on the hand trying to pull {partner} off {mum}
         {mum} was holding {child} when {partner} punched her, {child} has bruising to {his} arm
         {child} was dragged out of bed by {dad} in the middle of the row and has scratches on {his} neck
         {child} fell from {mum}'s arms when {partner} grabbed her by the hair, and has a bump on the head
         child injured in DA, {partner} arrested
         """,
         topics="""
         injury to the child during DA
         injury to the child
         violence towards the children
         children being hurt during DA
         harm to the children in the incident
         injuries to the children
         children caught up in the violence
         """),
    # ---------------- level 3: child in need ----------------
    _ind("domestic_abuse_child_present", 3, "domestic abuse, parent victim", prevalence=5.0, group="da", sources=("police",),
         asserted="""
         police attended a DA incident at the home {when}, {child} was present and witnessed {partner} assault {mum}
         {partner} punched {mum} in the face in front of {child}
         {child} was in the room when {dad} strangled {mum}, the DASH was high risk
         {child} saw {partner} smash the house up and threaten {mum} with a knife
         neighbours heard screaming and {child} was heard crying 'stop hurting mummy'
         {mum} disclosed to the HV that {partner} hits her, usually when the children are in bed but {child} has seen it
         {child} told staff that {dad} shouted at mum and pushed her into the wall {when}
         this is a DV incident with a child present: {partner} dragged {mum} by her hair while {child} watched from the stairs
         {mum} reports ongoing domestic abuse and coercive control, {child} has witnessed several assaults
         {child} hid in the bathroom during the assault and later said {he} was frightened
         officers attended following a 999 call, {mum} had a swollen eye and {child} was crying in the hallway
         DASH medium, {partner} arrested for assault, CYP present in the next room throughout
         {child} was in the house when {dad} threw {mum} against the fridge
         'dad grabbed mummy's neck and she couldn't breathe' - {child} to the class teacher this morning
         {mum} told the GP that {partner} hit her last week and the children saw it
         {child} watched {partner} punch holes in the walls and chase {mum} round the kitchen
         {child} has told friends {he} puts {his} headphones on when {dad} is 'hurting mum'
         neighbour reports {partner} was beating {mum} in the garden while {child} screamed at the window
         DA incident: IP {mum}, suspect {partner}, 2 children present and awake, DASH standard
         {child} rang 999 {when} because {partner} was 'killing mummy'
         {mum} came into school with a bruised face and said {partner} 'kicked off' in front of the kids {when}
         VPN submitted: assault on {mum} by ex-partner {dad}, {child} present throughout
         {mum} disclosed to the HV that {partner} pinned her to the floor while {child} was in the room with them
         {child} said {he} hid under the table while {partner} and {mum} were 'having a fight with hitting'
         DA, children present, DASH medium
         'mummy was crying and he kept hitting her and I hid under my bed' - {child}
         """,
         topics="""
         domestic abuse
         DA
         DV
         violence at home
         domestic incidents
         DA incidents
         violence between the adults
         domestic violence
         incidents of abuse at home
         children witnessing violence
         """),
    _ind("repeat_domestic_incidents", 3, "domestic abuse, parent victim", prevalence=2.0, group="da", sources=("police",),
         asserted="""
         this is the fourth domestic incident reported at this address in three months
         police have attended {address_ref} repeatedly for domestic incidents between {mum} and {partner}, the children are usually at home
         there is a pattern of escalating DA and {mum} keeps letting {partner} back in despite bail conditions
         {partner} has breached his non-molestation order again and returned to the home
         repeat MARAC case, {mum} has been assaulted several times this year
         {partner} has been arrested for assaulting {mum} twice in a month
         ongoing verbal and physical abuse between the parents, the police have been called at least six times
         {mum} says {partner} has hit her 'more times than I can count' and the police were called again {when}
         6th call to the address since January, all DA related
         officers know the address well, {partner} and {mum} have had five domestics since the summer
         {mum} has dropped charges against {partner} three times this year and he is back living at the home
         repeat DASH - previously medium, now high after another assault on {mum}
         {mum} says they 'always make up' but police have been called to the flat most weekends
         this is the latest in a long line of incidents between {mum} and {partner}, several with the children at home
         {partner} was bailed not to attend the address and was found there again {when}
         {mum} called police again after {partner} threatened her, the third time this month
         pattern of repeated callouts, {mum} usually withdraws her statement the next day
         MARAC referral made as this is the third incident in 12 months
         4 DA incidents at the address in 8 weeks
         """,
         topics="""
         repeat incidents
         previous domestic callouts
         ongoing domestic abuse
         repeat callouts
         escalating incidents
         repeated domestic abuse
         police call-outs to the address
         """),
    _ind("parental_substance_misuse", 3, "drug misuse, parent", prevalence=3.0, group="substance", sources=("police", "health", "other"),
         asserted="""
         {mum} is using heroin and the house has needles lying around within {child}'s reach
         {mum} appeared to be under the influence of drugs when collecting {child} from school {when}
         {partner} is dealing cannabis from the home and {child} is exposed to drug use
         {dad} has relapsed into crack cocaine use and is responsible for {child} during the day
         {mum} was found unresponsive after taking drugs, {child} was in the flat alone with her
         {mum} tested positive for cocaine at the antenatal appointment and has missed her drug service appointments
         both parents use cannabis heavily and {child} is often left to get {him}self up and to school
         {child} told staff {mum} 'takes white powder' and sleeps all day
         there is a strong smell of cannabis in the home and {mum} admits using daily while caring for {child}
         {mum} was slurring with pinned pupils at pick up and staff did not feel {child} was safe to go home with her
         ?drugs - {dad} nodding off throughout the home visit, foil and a lighter on the coffee table
         cannabis grow in the loft, {child}'s bedroom is next to it and the smell is throughout the house
         {mum} has been using ketamine at weekends and {child} is left with whoever is around
         {partner} injects in the bathroom and {child} has found a needle
         {mum} told the HV she 'uses a bit' of crack to keep going, the flat was chaotic
         {child} said {dad} smokes 'the funny cigarettes' and then falls asleep on the sofa and won't wake up
         {mum} discharged herself from detox and is back using, she is the only carer for {child}
         police found cocaine and scales in a kitchen cupboard within easy reach of {child}
         {mum}'s drug use means she sleeps until the afternoon and {child} is getting {him}self ready for school
         {child} swallowed a tablet {he} found on the floor and was taken to A&E, it was {dad}'s methadone
         {mum} is using again according to her drug worker, and missed the last three urine screens
         c/o {mum} using, ?crack, child present
         {child}'s nan rang, says {mum} is 'off her head' most days on something and the flat is full of people coming and going at all hours, and {child} is left to fend for {him}self
         """,
         topics="""
         drug use
         substance misuse
         parental drug use
         drugs in the home
         drugs
         drug misuse
         substance use by the parents
         cannabis use in the home
         drug taking
         """),
    _ind("parental_alcohol_misuse", 3, "alcohol misuse, parent", prevalence=2.6, group="substance", sources=("police", "school", "health"),
         asserted="""
         {mum} was drunk when she collected {child} from school, staff could smell alcohol and she was unsteady
         {dad} drinks heavily every night and becomes aggressive towards the children
         {mum} was too intoxicated to care for {child} when police attended {when}
         {child} has been putting {mum} to bed because she is drunk most evenings
         {mum} crashed the car with {child} in it while over the limit
         {dad}'s alcohol use has escalated since losing his job, he drinks from the morning
         {child} said {mum} drinks 'the big bottles' and then sleeps and {he} makes {his} own tea
         {mum} was found collapsed through drink with {child} and {sib} at home
         {mum} smelt strongly of alcohol at the 9am drop off and was slurring her words
         officers attended, {dad} heavily intoxicated and the only carer for {child}, {rel} called to collect
         {mum} has been drinking a bottle of vodka a day since the baby was born
         {child} says {mum} gets 'wobbly and shouty' after her 'special juice' every night
         {dad} was found asleep drunk in the car with {child} in the back seat
         {mum} admitted to the GP she drinks most of the day and sometimes can't remember putting {child} to bed
         cans all over the lounge, {partner} under the influence and could not be woken, {child} had made {his} own dinner
         {child} told the TA {he} hides the wine bottles so {mum} won't drink them
         {mum} turned up to parents' evening drunk and fell over in the hall
         {dad} is drinking again after a spell of sobriety and gets very angry with {child} when he has had a drink
         {mum} was too drunk to stand when the HV called at 11am, {child} had not been fed since breakfast
         {mum} drunk on collection, smelt of alcohol
         """,
         topics="""
         alcohol misuse
         drinking
         parental alcohol use
         being under the influence
         alcohol
         heavy drinking
         alcohol use
         drink
         being drunk
         """),
    _ind("parental_mental_health", 3, "mental health, parent", prevalence=4.2, group="parent_mh", sources=("health", "police"),
         asserted="""
         {mum} is severely depressed, not getting out of bed and {child} is missing meals and school
         {mum} took an overdose {when} while {child} was at home
         {mum} has been sectioned and there is no other adult to look after {child}
         {dad} is experiencing psychosis and believes {child} is possessed
         {mum} has told the GP she has thoughts of harming herself and the baby
         {mum} has postnatal depression, is struggling to bond with {child} and said she 'can't do this anymore'
         {mum}'s mental health has deteriorated, she is paranoid and has stopped taking her medication, {child} is caring for her
         the crisis team were called to {mum}, who was self-harming with {child} in the room
         {mum} is under the crisis team, she is not coping and the home has become chaotic
         {mum} is hearing voices telling her to hurt herself and {child} is at home with her
         {mum} has not left the flat for weeks, the curtains are always closed, and {child} is doing the shopping
         {dad} has bipolar disorder, has stopped his medication and has been up all night for a week driving {child} around
         {mum} rang the crisis line saying she can't go on, {child} could be heard in the background
         {mum} has been admitted to the mental health unit and {partner} says he can't look after {child}
         {mum} told the HV she feels nothing for {child} and sometimes thinks {he} would be better off without her
         {mum} is very paranoid, thinks the neighbours are poisoning the food and is not feeding {child} properly
         {mum} has fresh cuts to her arms and talks of ending her life, {child} is her only company
         {dad} is severely depressed and stays in bed, {child} is getting {him}self to school and making {his} own meals
         {mum}'s MH is poor - crying constantly, says she can't look after {child} and wants {him} to go into care
         {mum} walked out of the house in the night in her nightclothes and was found by police, {child} had been left asleep
         {mum} ?psychosis, sole carer for {child}
         """,
         topics="""
         mental health concerns
         parental mental health
         mum's mental health
         low mood in the parent
         mental ill health
         mum's MH
         depression
         postnatal depression
         parental MH
         """),
    _ind("persistent_neglect", 3, "neglect", prevalence=3.0, sources=("school", "health"),
         asserted="""
         {child} is regularly coming into school unkempt, smelling of urine and wearing the same clothes for days
         {child} has had head lice for months despite repeated advice and the family have not treated it
         {child}'s dental decay has not been treated despite several reminders and {he} is in pain
         {child} is often hungry and has no coat in winter, this has been going on since September
         home conditions are poor: no bedding for {child}, dirty dishes everywhere, dog mess in the garden
         {child} is frequently late, tired and unwashed and {mum} does not respond to school's letters
         there are ongoing concerns about {child}'s hygiene and basic care which have not improved
         {child} has been sent to nursery in soiled nappies repeatedly and has severe nappy rash
         the family have not taken {child} to any of the appointments for {his} glasses and hearing aids
         {child} has been wearing the same uniform for two weeks and other children have started to comment on the smell
         {child} has no breakfast most days and school have been feeding {him}, this has been going on for months
         {child} is always in wet socks and trainers that are too small, {mum} has been spoken to several times
         nursery report {child} arrives in dirty nappies, is often hungry and has had the same untreated cold sore for weeks
         {child}'s teeth are black, {he} has had toothache for months and is not registered with a dentist
         repeated advice about hygiene has made no difference, {child} smells and is being left out by the other children
         {child} sleeps on the sofa and has no bed of {his} own, nothing has changed since the last visit
         HV has concerns about the home on every visit - piles of washing, dirty bottles, {child} often in just a dirty vest
         {child} tells staff {he} 'has to find {his} own tea' most nights
         {child} has missed {his} eye appointments for a year and cannot see the board, letters to {mum} unanswered
         the state of {child}'s clothes and hair has been raised with {mum} at every review since {school_year} started with no change
         {child} unkempt, smelly, hungry - ongoing since last year
         {child} comes to school in the same clothes every day, always hungry, nits, and we have raised it with {mum} so many times over the past year that I have lost count
         """,
         topics="""
         neglect of basic care
         poor hygiene
         basic care needs not being met
         unkempt presentation
         basic care
         hygiene concerns
         neglect of the children
         low level neglect
         unkempt children
         """),
    _ind("early_help_failed", 3, "early help tried and failed", prevalence=1.6, group="early_help", sources=("la_services", "school"),
         asserted="""
         the family have been open to early help for 6 months but have not engaged and things are getting worse
         the EHA was closed due to non-engagement and the concerns have escalated
         despite a TAF plan being in place since last year there has been no improvement
         {mum} has cancelled every early help session and will not let the family support worker in
         early help have tried parenting support and a school plan but the concerns persist
         the EH worker is stepping this up as the plan has not made a difference
         we have exhausted the early help offer and {child}'s situation has not changed
         the family support worker has been unable to see {child} for 5 weeks
         we have been working with {mum} since the spring with no change, and she now refuses to answer the door
         the family support plan has been running for 9 months and the worries are no better
         EHA closed as {mum} withdrew consent, school remain very worried
         three TAF meetings held and {mum} hasn't attended any of them
         the family were offered parenting support, a family worker and help with housing and declined all of it
         early help have been involved twice before and both times closed with no lasting improvement
         despite the early help plan {child}'s situation is deteriorating and we need social care input
         {mum} engaged for two weeks then stopped, the family hub have closed the case for the second time
         the EH offer has not worked, stepping up as {child} is no better off than when we started
         universal and early help services have been in place for over a year with no sustained change
         EH closed - non-engagement, concerns remain and are worse
         """,
         topics="""
         early help
         EHA involvement
         family support
         TAF involvement
         early help plans
         early help support
         family hub support
         previous support
         EH worker involvement
         """),
    _ind("chronic_non_attendance", 3, "neglect", prevalence=1.8, ages=(5, 16), sources=("school",),
         asserted="""
         {child}'s attendance is 41% this year and {mum} does not answer calls or letters
         {child} has not been seen in school for three weeks and home visits have had no answer
         {child} has been persistently absent for two terms and is falling far behind
         {child} is missing more days than {he} attends, attendance is below 50%
         {child} has not attended since the start of term and no reason has been given
         the EWO reports {child}'s attendance is 38% and a fine has had no effect
         {child} is kept off school to look after {sib} and has missed most of this term
         {child} has only attended 19 sessions out of 60 and the family have moved without telling school
         {child} has been absent for 23 days this term with no explanation
         attendance 46%, PA, letters and home visits unanswered
         nobody has seen {child} since before half term and {mum} will not engage with school
         CME concerns: {child} has not attended for 4 weeks and the family do not appear to be at the address
         {child} attends on average two days a week and has done since {school_year} began
         {child} has not been in since September and no medical evidence has been provided
         EWO: attendance 32%, the family say {child} is 'ill' but there have been no GP appointments
         {child} has been marked absent for most of the term, school have made 11 calls with no response
         {child} has missed half of this year, {mum} keeps {him} at home to help out
         'I don't go anymore' - {child}, who has been off school for over a month
         attendance 38% - letters, calls, home visits, EWO, nothing has worked
         """,
         topics="""
         attendance concerns
         non-attendance
         absence from school
         persistent absence
         poor attendance
         missing education
         school attendance
         not being in school
         """),
    _ind("child_mental_health_crisis", 3, "mental health, child", prevalence=2.0, ages=(10, 17), sources=("health", "school"),
         asserted="""
         {child} told the school counsellor {he} has a plan to end {his} life
         {child} took an overdose of paracetamol {when} and was admitted to the children's ward
         {child} was found on a bridge by police and said {he} wanted to die
         {child} has stopped eating and CAMHS are worried about {his} physical health
         {child} wrote a suicide note which a friend showed to staff
         {child} is hearing voices and is very distressed, CAMHS crisis team involved
         {child} attended A&E after trying to hang {him}self
         {child} has been talking about suicide on social media and searched for ways to do it
         {child} messaged a friend at 2am saying goodbye and that {he} had taken tablets
         {child} was detained under section 136 after being found on the railway line
         {child} told {his} GP {he} thinks about killing {him}self every day and has written notes
         {child} has been restricting food to almost nothing and collapsed in PE
         {child} says {he} 'doesn't want to be here anymore' and has been giving {his} things away
         {child} was taken to A&E by ambulance after taking a large amount of {mum}'s medication
         {child} is having hallucinations and has not slept for days, {mum} cannot calm {him} down
         {child} was stood on the edge of the multi-storey car park and was talked down by police
         ED: {child} presented after a ligature attempt, discharged with CAMHS follow up
         {child} said {he} had looked up how many paracetamol it would take
         {child} left a message on {his} phone saying 'sorry for everything' and could not be found for several hours
         {child} said 'i just want to go to sleep and not wake up' and {he} has been researching how
         """,
         topics="""
         suicidal thoughts
         mental health crisis
         risk to self
         overdoses
         thoughts of suicide
         suicidal ideation
         crisis presentations
         suicidal crisis
         risk of suicide
         """),
    _ind("self_harm", 3, "self-harm", prevalence=1.5, ages=(10, 17), sources=("school", "health"),
         asserted="""
         {child} has fresh cuts on {his} forearms and said {he} does it to cope
         {child} has been self harming by cutting {his} thighs and it has become more frequent
         staff noticed burns on {child}'s wrists which {he} admitted were self inflicted
         {child} has been scratching {his} arms until they bleed
         {child} disclosed self-harm to {his} form tutor and {mum} did not seem concerned
         {child} needed stitches after cutting {him}self with a razor blade
         {child} shared pictures of {his} self harm with friends
         {child} has been cutting {him}self most nights and hides it under long sleeves
         {child} has deep cuts on {his} upper arms that needed steri-strips
         {child} has been burning {him}self with a lighter and showed a friend
         {child} admitted to the school nurse {he} cuts most days and keeps a blade in {his} pencil case
         PE staff noticed scars and fresh cuts on {child}'s legs
         {child} has been hitting {his} head against the wall until it bruises and says it helps
         {child} says {he} 'just scratches a bit' but the marks on {his} wrists are recent and deep
         {child} has been taking a few tablets at a time to 'feel something'
         {child} has bandages on both arms and says {he} 'fell into a bush', a friend says {he} has been self harming
         A&E: {child} seen for self-inflicted lacerations to the forearm
         {child} has started cutting again after a few months without and it is getting worse
         {child} cutting, arms and legs, fresh wounds
         """,
         topics="""
         self harm
         self-harm
         cutting
         self injury
         self-harming
         self-inflicted injuries
         injuries to the arms
         """),
    _ind("repeated_missing_episodes", 3, "going missing", prevalence=1.4, ages=(10, 17), sources=("police",),
         asserted="""
         {child} has been reported missing five times this month, returning in the early hours
         {child} went missing again {when} and was found in {town2} with older youths
         this is {child}'s third missing episode in two weeks, {he} will not say where {he} goes
         {child} is regularly missing overnight and {mum} doesn't report it until the next day
         {child} was missing for 3 days and returned with no explanation
         police report repeat missing episodes for {child}, the return home interview was declined
         {child} keeps going missing from home, the latest episode was over the weekend
         {child} has been missing overnight twice this week and came back with a new phone
         {child} has been reported missing 11 times since the start of the year
         MFH again {when}, found by officers at 3am in {town2}, refused to say where {he} had been
         {child} keeps disappearing for a night or two at a time and comes back exhausted
         {mum} reported {child} missing for the fourth time this month, {he} came back with cuts and won't talk about it
         {child} goes out after tea and doesn't come back until the next afternoon, most weeks
         repeat MISPER, {child} was located at an address known for drug use
         {child} absconded from {rel}'s again and was missing for 26 hours
         {child} has been missing overnight on several occasions and has stopped answering {his} phone
         this is the sixth missing episode for {child}, the RHI was not completed
         {child} has run away twice this week and was found asleep in a park
         MFH x4 this month
         """,
         topics="""
         missing episodes
         going missing
         being reported missing
         missing from home
         running away
         being missing overnight
         MFH reports
         """),
    _ind("emotional_abuse", 3, "emotional abuse", ages=(2, 17), prevalence=2.0, sources=("school", "individual"),
         asserted="""
         {mum} constantly calls {child} 'stupid' and 'a waste of space' and tells {him} she wishes {he} had never been born
         {child} is the scapegoat of the family, treated differently to {sib} and made to eat alone in {his} room
         {dad} threatens to put {child} into care whenever {he} misbehaves
         {child} said {he} is locked in {his} bedroom for hours as a punishment
         {mum} humiliates {child} in front of others and screams at {him} in the playground
         {child} is not allowed to speak at home and is terrified of making mistakes
         {partner} regularly tells {child} nobody loves {him} and that {he} is the reason mum is unhappy
         {child} is made to stand in the corner for hours and is denied food as punishment
         {child} told {his} teacher {mum} says {he} is 'the reason dad left' and 'ruined her life'
         {dad} makes {child} sleep in the garage when {he} wets the bed
         {child} is sent to school with notes from {mum} calling {him} a liar and a thief
         {child} says {he} is never good enough at home and goes silent whenever {mum} is mentioned
         {partner} calls {child} 'fat' and 'ugly' in front of the family and laughs about it
         {child} has been told {he} will be sent away if {he} tells anyone what happens at home
         {mum} ignores {child} completely for days at a time as punishment, while fussing over {sib}
         a neighbour hears {mum} screaming at {child} every day, calling {him} names and saying she hates {him}
         {child} said 'mum says I'm evil and that's why no one likes me'
         {child} is not allowed friends, toys or a birthday and is blamed for everything that goes wrong
         {mum} screams at {child} constantly, calls {him} names, neighbour hears it every day
         """,
         topics="""
         emotional abuse
         emotional harm
         being shouted at and belittled
         belittling
         being verbally abused
         rejection by a parent
         name calling
         """),
    _ind("child_left_alone", 3, "neglect", prevalence=1.2, ages=(1, 10), sources=("police", "individual", "anonymous"),
         asserted="""
         {child}, aged {age}, was left home alone overnight while {mum} went out
         neighbours found {child} alone in the flat crying, {mum} had gone to the shops for over two hours
         {child} was left in the car outside the pub for over an hour
         the young children are regularly left on their own in the evenings
         {child} was seen at the window alone for most of the day, {mum} came back at 11pm
         police found {child} and {sib} alone at home with no adult, {mum} was at her boyfriend's
         {child} answered the door and said mummy is out and there was no one else home
         {mum} admitted leaving {child} with {sib}, aged 8, for the whole night while she worked
         {child}, aged {age}, was seen at the window on {his} own at 11pm and there was no answer at the door
         officers found {child} and {sib} home alone, {mum} arrived 90 minutes later and said she had only 'popped out'
         {child} told staff {he} is on {his} own after school until {mum} finishes work at 8
         a neighbour can hear {child} crying for hours in the flat and {mum}'s car is not there
         {child} was left in the bath while {mum} went out for cigarettes
         {child} was found on the landing outside the flat alone at 10pm in pyjamas
         {mum} left {child}, aged {age}, asleep on {his} own while she went to a party
         'mummy goes out at night and I have to look after the little ones' - {child} to the TA
         the caller says the children at the flat are often on their own all weekend
         {child} was at home alone overnight and walked to school by {him}self in the morning with no breakfast
         kids home alone again, no adult, caller saw them at the window at midnight
         """,
         topics="""
         children being left alone
         lack of supervision
         being left at home on their own
         leaving the children unattended
         being left alone
         children home alone
         lack of adult supervision
         """),
    _ind("young_person_substance_misuse", 3, "drug misuse, child", prevalence=1.0, ages=(12, 17), sources=("school", "police", "la_services"),
         asserted="""
         {child} is using cannabis and ketamine daily and has been excluded for being under the influence
         {child} was taken to A&E after collapsing having taken pills at a party
         {child} is drinking vodka most nights and was found unconscious in the park
         {child} has told {his} youth worker {he} uses cocaine at weekends and owes money
         {child} is smoking cannabis heavily and {his} behaviour and mood have deteriorated
         {child} was found in possession of a large amount of cannabis on school grounds and appeared high
         {child} is spending all {his} money on weed and has been stealing from {mum} to fund it
         {child} was sick and confused after taking MDMA and was taken to hospital by ambulance
         {child} is using nitrous oxide daily and has been found with canisters in {his} bag
         {child} was found unresponsive in the park after drinking and taking pills and needed hospital treatment
         {child} admits smoking cannabis 'from when I wake up' and has stopped going to school
         {child} has been using ketamine for months and now has bladder problems
         {child} is buying Xanax online and was found confused and drowsy in class
         {child} came to school high and was sick in the toilets, the third time this term
         {child}'s drinking is out of control, {mum} says {he} comes home paralytic most weekends
         {child} told the youth worker {he} 'needs' weed to get through the day and sells it to pay for it
         {child} was brought in by ambulance after taking an unknown substance at a house party
         {child} has been excluded twice for drugs and {his} mood has crashed
         {child} smoking weed every day, excluded, mum can't stop it
         """,
         topics="""
         drug use by the young person
         cannabis use
         substance use
         drug use
         alcohol use by the young person
         drink and drugs
         ketamine
         """),
    _ind("gang_association", 3, "gangs", prevalence=0.8, ages=(12, 17), sources=("police", "school", "la_services"),
         asserted="""
         {child} has been seen with known gang members and is posting drill videos with threats to a rival group
         {child} was found carrying a knife and said it was for protection
         {child} is associating with older youths linked to a stabbing {when}
         {child} has been threatened by a rival group and is scared to leave the house
         {child} has gang tattoos and has started wearing colours associated with a local gang
         {child} was arrested with a group of older males after a robbery
         {child} has been getting into fights with a rival estate and a video of {him} with a machete is circulating
         {child} was seen handing a package to older boys outside the chicken shop, thought to be linked to a local group
         {child} appears in a drill video with older males holding knives
         police have {child} recorded as an associate of a local gang
         {child} was found with a knuckle duster in {his} bag
         {child} is scared to go to certain parts of town and says {he} has been 'marked' by another group
         {child}'s friend was stabbed last month and {child} has been carrying a blade ever since
         {child} was there when a young man was stabbed outside the chicken shop and has been threatened since
         school found a large knife in {child}'s locker
         {child} posted a video online taunting a rival group and now there are threats against {his} family
         the youth justice team report {child} is increasingly involved with a group linked to robberies and knife crime
         {child} has been jumped twice on the way home and won't say by who, {he} now refuses to go out without {his} 'boys'
         {child} seen w/ known gang nominals, carrying knife
         """,
         topics="""
         gang involvement
         carrying weapons
         gang association
         gangs
         knife carrying
         weapons
         serious youth violence
         links to a gang
         """),
    _ind("homelessness", 3, "socially unacceptable behaviour", prevalence=0.8, sources=("la_services", "other"),
         asserted="""
         the family have been evicted and are sofa surfing with {child}, last night they slept in the car
         {mum} and {child} have nowhere to stay tonight after fleeing {partner}
         the family are street homeless and {child} has been sleeping in a tent
         {mum} was evicted for rent arrears and {child} is moving between relatives' houses every few nights
         the family have no recourse to public funds and have been sleeping at a mosque
         {child} and {mum} are living in one room in a hostel with no cooking facilities and the placement ends tomorrow
         {mum} and the children have been sleeping on the floor at a friend's flat for two weeks and have to leave on Friday
         the family were asked to leave {rel}'s house and have nowhere to go with {child}
         {mum} and {child} were put out by the landlord today and have no one to stay with
         the family are sleeping in the car outside {rel}'s house
         {mum} has been evicted and is staying somewhere different every night with {child}
         the family were placed in an emergency B&B and have been told to leave by tomorrow
         {mum} says they are homeless as of today and she has £3 to her name
         {child} and {mum} have been sofa surfing for three weeks and {child} has missed school
         the family are living in a tent in the woods
         {mum} came to the council offices with {child} and two suitcases saying they have nowhere to sleep tonight
         NRPF family, evicted, sleeping in the back of a shop owned by a friend
         {mum} fled {town2} with the children and has no accommodation at all
         family homeless tonight, nowhere to go
         """,
         topics="""
         homelessness
         housing issues
         eviction
         housing
         accommodation
         housing need
         being homeless
         """),
    _ind("harmful_sexual_behaviour", 3, "sexual abuse, child on child", prevalence=0.6, ages=(4, 15), sources=("school",),
         asserted="""
         {child} has been touching other children's private parts in the toilets
         {child} is using sexual language and behaviour well beyond {his} age
         {child} was found trying to undress a younger child at nursery
         {child} showed pornographic videos to younger pupils on {his} phone
         {child} simulated sexual acts in the playground and said {he} saw it at home
         staff have seen {child} repeatedly exposing {him}self to other children
         {child} has been sending sexual messages to younger pupils and asking them for pictures
         {child} pulled down another child's trousers and touched them in a way staff found worrying
         {child} asked younger children in the toilets to show {him} their private parts
         {child} has been found watching porn on {his} tablet and acting it out with a younger cousin
         {child} tried to kiss and touch a younger pupil and said it was a 'game' {he} plays at home
         {child} keeps rubbing up against other children and making sexual comments
         {child} made a younger child perform a sex act in the park, seen by a parent
         {child} was found with {his} hand down a younger child's trousers at after school club
         {child} has been filming other pupils in the changing rooms
         {child} said sexual things to a TA that are very unusual for {his} age
         {child} is touching {him}self in class repeatedly and trying to touch others
         parents have complained that {child} has been sending nude pictures to classmates
         HSB - {child} touching younger children, repeated
         """,
         topics="""
         sexualised behaviour
         harmful sexual behaviour
         inappropriate sexual language
         HSB
         sexual behaviour towards other children
         inappropriate behaviour
         """),
    # ---------------- level 2: early help ----------------
    _ind("school_absence", 2, "attendance", prevalence=4.0, ages=(5, 16), sources=("school",),
         asserted="""
         {child}'s attendance has dropped to 86% this term with lots of Mondays missed
         {child} is frequently late and has had several unexplained absences
         attendance is 88%, mostly odd days with vague reasons given by {mum}
         {child} has missed a number of days this half term, {mum} says {he} has had colds
         {child} has been late 14 times this term and missed the morning register
         {child}'s attendance is below expected at 84%
         there have been a few unauthorised absences and a term-time holiday
         {child} has had 9 days off since September, several of them Fridays
         {child}'s attendance is 89%, mainly illness, and {mum} is responding to calls
         {child} has missed 7 days this half term, mostly Mondays and Fridays
         {child} has been late every day this week, {mum} says the bus is unreliable
         attendance slipping - 87% at the last check, school have sent the standard letter
         {child} has had a few days off with 'stomach aches' since the start of term
         {child}'s attendance is 85% after {mum} took {him} out for a week in term time
         school would like some support as {child}'s attendance is starting to fall, now 90%
         lots of lates and a handful of unexplained absences
         {child} is often off on PE days and {mum} writes notes excusing {him}
         attendance concerns: 83%, persistent lateness, family engaging with the attendance officer
         attendance 88%, some lateness
         """,
         topics="""
         attendance
         absence
         lateness
         lates
         attendance issues
         punctuality
         days off school
         """),
    _ind("missed_health_appointments", 2, "health", prevalence=2.2, ages=(0, 5), sources=("health",),
         asserted="""
         {child} has missed two immunisations and the 1 year review, {mum} did not respond to letters
         {mum} has not brought {child} to the last three health appointments
         {child} was not brought to the audiology appointment and the hospital has discharged {him}
         the 2 year developmental check was missed twice
         {child}'s vaccinations are not up to date and {mum} keeps rebooking
         {mum} did not attend the appointment for {child}'s eczema review or the dental referral
         the HV has been unable to complete the 9-12 month review after several attempts
         {child} was not brought to the paediatric follow-up and the letter was returned
         {child} was not brought to {his} 12 month immunisations and {mum} has not rebooked
         DNA x2 for the hearing test
         {mum} has missed the last two HV contacts, no answer at the door and texts unanswered
         {child} has not had the MMR, {mum} keeps saying she will book it
         {child}'s speech therapy appointments have been missed three times and {he} may be discharged
         {child} is behind with {his} jabs and hasn't had a development review
         the dental check-up and the eye test were both missed
         {mum} cancelled the paediatric review twice because of 'transport problems'
         was not brought to the asthma clinic, 2nd time this year
         {child}'s 2 year review has not happened after three attempts to arrange it
         DNA imms x2
         """,
         topics="""
         missed appointments
         immunisations
         health checks
         health appointments
         vaccinations
         development checks
         DNAs
         """),
    _ind("early_substance_use", 2, "drug misuse, child", prevalence=1.5, ages=(11, 17), sources=("school", "police"),
         asserted="""
         {child} was caught vaping in the toilets and smelt of cannabis
         {child} was found drinking cider in the park with friends {when}
         {child} has admitted trying cannabis at a party
         staff think {child} may have been smoking weed at lunchtimes
         {child} came back from lunch smelling of alcohol
         {child} was with a group of friends who were drinking, police took {him} home
         {child} came to school with a vape and some edible sweets that may contain cannabis
         {child}'s friends say {he} drinks at weekends in the woods
         {child} was seen smoking in the park with some older kids
         {child} has been vaping heavily and staff found a vape that smelt of weed
         {child} turned up to the school disco having had a drink
         {child} told the school nurse {he} has tried weed a couple of times
         {mum} found a small bag of cannabis in {child}'s bedroom and wants advice
         {child} was sick at a sleepover after drinking vodka with friends
         {child} has been buying vapes from a local shop and selling them on to friends
         police returned {child} home after finding {him} with a bottle of cider in the park
         {child} admitted to {his} form tutor {he} had 'a few drinks' at a party at the weekend
         {child} smelt of cannabis when {he} came back from lunch, the first time staff have noticed
         {child} smelt of weed after lunch
         """,
         topics="""
         cannabis
         drinking
         vaping
         experimenting with drugs
         underage drinking
         smoking
         weed
         alcohol
         """),
    _ind("early_offending", 2, "socially unacceptable behaviour", prevalence=1.5, ages=(10, 17), sources=("police", "school"),
         asserted="""
         {child} was arrested for shoplifting from the Co-op with two friends
         {child} has been involved in anti-social behaviour on the estate and was given a warning
         {child} was caught damaging a bus shelter {when}
         {child} has been throwing stones at cars with a group of older boys
         {child} received a community resolution for criminal damage
         {child} was stopped by police for riding a stolen bike
         {child} was caught stealing sweets from the corner shop and the shop called police
         {child} was part of a group causing a nuisance at the retail park and was taken home by officers
         {child} and a friend were caught taking chocolate bars from the garage shop
         {child} was given a youth caution after a fight at the bus station
         {child} has been spraying graffiti around the estate
         {child} was part of a group throwing eggs at houses {when}
         {child} was caught setting fire to a wheelie bin behind the shops
         {child} was stopped riding an e-scooter on the pavement and was rude to officers
         police spoke to {child} about knocking on doors and running away
         {child} was arrested for a minor assault on another pupil outside school
         officers returned {child} home after complaints about a group of youths causing trouble in the precinct
         {child} has taken money from {mum}'s purse several times
         {child} - shoplifting, community resolution
         """,
         topics="""
         offending
         anti-social behaviour
         shoplifting
         criminal behaviour
         antisocial behaviour
         theft
         trouble with the police
         """),
    _ind("poor_parent_child_relationship", 2, "family functioning", ages=(5, 17), prevalence=2.0, sources=("school", "individual", "la_services"),
         asserted="""
         {mum} says she cannot cope with {child}'s behaviour and they argue constantly
         {child} and {mum} are not getting on and {child} has asked to stay with {rel}
         {child} says {mum} never listens and the relationship has broken down
         {dad} feels {child} is out of control and has asked school for help
         there is a lot of conflict between {child} and {his} stepdad
         {child} stormed out after a row with {mum} and stayed at a friend's, {mum} does not want {him} back tonight
         {mum} is struggling with {child}'s anger at home and says {he} is rude and defiant
         {mum} says she and {child} 'can't be in the same room' without a row
         {mum} says she 'doesn't like' {child} at the moment and that {he} is 'just like {his} dad'
         {child} refuses to speak to {dad} and spends all {his} time in {his} bedroom
         constant rows at home, {child} says {he} hates {mum}
         {mum} rang school in tears saying she can't handle {child} anymore
         {child} has been staying at {rel}'s most nights as {he} and {mum} keep falling out
         {dad} wants {child} to go and live with {mum} because 'we just clash'
         {mum} feels she has lost control of {child} and they barely speak
         {child} and {partner} don't get on and {child} feels pushed out
         lots of shouting at home between {child} and {mum}, mostly about phones and coming in late
         {mum} says the relationship with {child} is 'at breaking point'
         {mum} struggling with {child}'s behaviour at home, lots of rows
         """,
         topics="""
         arguments at home
         the relationship with mum
         conflict at home
         relationship difficulties
         family conflict
         parenting difficulties
         rows between parent and child
         """),
    _ind("young_carer", 2, "young carer", prevalence=1.2, ages=(7, 17), sources=("school", "health"),
         asserted="""
         {child} is caring for {mum} who has MS and is often tired in class
         {child} does most of the cooking and looks after {sib} because {mum} works nights
         {child} helps {dad} with his medication and misses clubs to be at home
         {child} is a young carer for {his} disabled brother and is struggling with homework
         {child} is supporting {mum} with her mental health and worries about leaving her
         {child} takes {sib} to school every day and has to leave early to collect {him}
         {child} is often late because {he} gets {sib} ready for school while {mum} is unwell
         {child} told staff {he} does the shopping and the washing because {dad} can't manage
         {child} looks after {mum}, who has chronic pain and can't get out of bed some days
         {child} is often tired because {he} is up in the night helping with {sib}, who is disabled
         {child} manages the household bills and interprets for {mum} at appointments
         {child} helps {dad} to wash and dress since his stroke
         {child} says {he} can't come to clubs because {he} has to be at home for {mum}
         {child} cooks tea most nights and puts the younger ones to bed
         {child}'s grandmother lives with them and {child} does a lot of her care
         {child} is the main carer for {mum}, who is having chemotherapy
         {child} misses school when {mum} has a bad day with her epilepsy
         {child} has a lot on at home caring for a parent with MS and is falling behind with work
         YC - {child} caring for {mum}, tired in school
         """,
         topics="""
         caring responsibilities
         young carer
         looking after a parent
         caring for a parent
         being a young carer
         responsibilities at home
         caring duties
         """),
    _ind("poor_housing", 2, "housing", prevalence=1.8, sources=("health", "la_services"),
         asserted="""
         the flat has black mould in the bedrooms and {child} has a chest infection
         the family of six are living in a two bedroom flat and {child} shares a bed with {mum}
         the property is damp and cold, the boiler has been broken for weeks
         the home is cluttered and overcrowded, {child} has nowhere to do homework
         there is a leaking roof and the landlord is not doing repairs
         the family live in temporary accommodation with shared bathrooms
         the bedroom {child} shares with {sib} has mould on the ceiling and the window won't shut
         the family are in a one bedroom flat with three children and a leaking bathroom
         the house is very cold, the family can't afford to heat it and the windows are single glazed
         mould is growing on {child}'s mattress
         the flat has mice and the landlord is not responding
         there are exposed wires in the kitchen and no working smoke alarm
         five of them share one room in a bedsit
         the property is in disrepair: broken front door, leaking roof, damp in every room
         {mum} says {child} keeps getting chest infections because of the damp
         the family have been in temporary accommodation for over a year and moved hostels several times
         no carpets and no hot water since last month, {mum} is waiting on the council
         the garden is full of rubbish and broken glass and {child} plays out there
         damp and mould, overcrowded
         """,
         topics="""
         housing conditions
         damp and mould
         overcrowding
         damp
         unsafe housing
         temporary accommodation
         disrepair
         """),
    _ind("low_income", 2, "low income", prevalence=1.8, sources=("school", "health", "individual"),
         asserted="""
         the family are relying on food banks and {mum} has been skipping meals so {child} can eat
         {child} has no winter coat and school shoes with holes in
         {mum} has debts and the electricity has been cut off twice this month
         {child} is often asking for extra food at breakfast club
         {mum} cannot afford uniform and {child} has been wearing the same jumper all week
         the family are struggling financially since {dad} lost his job and benefits were sanctioned
         {mum} told us they have no gas credit and have been eating cold food
         {child} has been coming in without lunch and says there is no food at home until Monday
         {mum} has asked school for help with food vouchers as the money has run out
         the family have no money until Friday and {mum} is borrowing from neighbours
         {child} has been coming to school in summer shoes in the middle of winter
         {dad} is out of work and the family are behind on rent
         there is no electric on the meter and the family are using candles
         {child} has told staff they are 'poor' and there isn't always food at home
         {mum} owes money to a loan shark and is struggling to pay for basics
         universal credit was stopped and {mum} has not been able to buy nappies
         {child} didn't go on the school trip because {mum} couldn't pay
         the family are eating one meal a day to make the money last
         family struggling for money, using food bank
         """,
         topics="""
         money worries
         financial hardship
         food poverty
         poverty
         debt
         finances
         low income
         cost of living pressures
         """),
    _ind("possible_domestic_abuse", 2, "domestic abuse, parent victim", prevalence=3.0, group="", sources=("individual", "anonymous", "school", "health"),
         asserted="""
         neighbours hear shouting and banging from the house most weekends
         {mum} seemed nervous around {partner} and he answered all the questions for her
         {child} said mum and dad were 'fighting' and shouting at each other
         there was a loud argument in the street between {mum} and {partner}, no one was hurt
         {mum} mentioned {partner} checks her phone and doesn't like her seeing friends
         raised voices and a door slamming were heard late at night, it went quiet after a while
         {mum} said she and {partner} have been arguing a lot about money
         {child} mentioned that {partner} 'gets really angry' and {mum} cries a lot
         {mum} seems very quiet when {partner} is around and looks at him before she answers anything
         a neighbour says there is 'a lot of screaming' from the house but has never seen anything
         {mum} had a bruise on her arm and said she banged it on a door
         {child} said {partner} 'shouts at mummy and makes her cry'
         {partner} turned up at the school gate shouting at {mum} in front of the other parents
         {mum} said {partner} can be 'a bit controlling' about money
         raised voices heard from outside, {partner} answered the door and said it was 'just the telly'
         {mum} hinted that things aren't great at home but didn't want to say more
         {mum} asked the GP how someone would leave a relationship, 'hypothetically'
         {partner} rings {mum} constantly during appointments and she has to leave early
         ?DA - shouting heard, nothing seen
         """,
         topics="""
         arguments between the parents
         shouting
         controlling behaviour
         domestic abuse
         DA concerns
         tension between the adults
         """),
    _ind("domestic_incident_child_not_present", 2, "domestic abuse, parent victim", prevalence=3.6, group="", sources=("police",), extra_weight=-0.5,
         asserted="""
         police attended a verbal argument between {mum} and {partner} {when}, the children were staying with {rel} and were not present
         a domestic incident was reported at the address, no children were present at the time
         verbal only domestic between ex-partners over child contact arrangements, {child} was at school
         {partner} was arrested for criminal damage after a row with {mum}, {child} was not in the home
         {mum} called police after {partner} refused to leave, he left when officers arrived, child at nursery
         standard risk DASH completed following an argument while {child} was asleep at {rel}'s house
         a domestic took place at the parents' address in the early hours, {child} lives elsewhere with {rel}
         a row between {mum} and her ex over text messages was reported, the children were at school and nobody was hurt
         verbal argument between {mum} and {partner}, no assault, children staying with {rel}
         DASH standard, no children present, {partner} left voluntarily
         officers attended a report of a row in the street between {mum} and her ex, children at school
         {dad} sent abusive texts to {mum} and she called police, {child} was with {rel} at the time
         ex-partners argued in the pub car park, police called by staff, no children present
         {mum} reported {partner} for damaging her car, no children in the home at the time
         domestic incident, verbal only, both parties intoxicated, children were at their dad's for the weekend
         police called to a disturbance at 1am, {mum} and {partner} arguing, {child} was staying away that night
         argument over a phone, {partner} pushed {mum} once, no injuries, no children present
         {mum} called 101 to report {partner} would not leave, he had gone when officers arrived, child at nursery
         verbal domestic, no children present
         """,
         topics="""
         domestic incidents
         incidents at home
         verbal arguments
         domestics
         police call-outs
         arguments between the adults
         """),
    _ind("poor_supervision", 2, "neglect", prevalence=2.2, ages=(2, 14), sources=("individual", "anonymous", "police"),
         asserted="""
         {child} is out on the street late at night without an adult
         {child} was found by police wandering near the main road, {mum} had not noticed {he} was gone
         the children are playing unsupervised in the car park until after dark
         {child} was brought home by a neighbour after being found at the park alone
         {child} is allowed to roam the estate until late and nobody seems to know where {he} is
         {child} fell off a wall while unsupervised and {mum} was not around
         {child} was seen climbing on a garage roof with no adult around
         {child}, aged {age}, walked to the shop on {his} own late at night to buy milk
         {child} is often out on {his} bike until 10pm
         {child} was found by the river on {his} own, {mum} thought {he} was at a friend's
         the children are playing in the road without an adult most evenings
         {child} was found in the shop on {his} own buying energy drinks at 9pm
         {child}, aged {age}, is regularly seen walking round the estate after dark
         a neighbour brought {child} back after finding {him} by the main road
         {child} got lost at the park and {mum} didn't realise for an hour
         {child} walks to and from school alone along a busy road at {age}
         {child} is on the trampoline in the garden unsupervised late into the evening
         staff noticed {child} waiting outside school for an hour after home time with no one collecting
         {child} out late unsupervised again
         """,
         topics="""
         supervision
         being out unsupervised
         poor supervision
         inadequate supervision
         children playing out late
         being left to roam
         lack of supervision
         """),
    _ind("parental_separation_conflict", 2, "family functioning", prevalence=2.4, sources=("individual", "police", "other"),
         asserted="""
         {mum} and {dad} are going through a bitter separation and {child} is caught in the middle
         {dad} says {mum} is stopping contact and is making allegations to get back at him
         there are ongoing disputes about contact and handovers often end in arguments in front of {child}
         {child} is upset because {his} parents argue at every handover
         {dad} did not return {child} after contact and {mum} called the police
         {mum} alleges {dad} is badmouthing her to {child}, the case is going through family court
         {child} is refusing to go to {dad}'s for contact after hearing the parents argue on the phone
         the parents have separated and keep involving {child} in their arguments about money
         {dad} is keeping {child} after contact and refusing to tell {mum} where they are
         handovers are done at the police station because the parents cannot be in the same room
         {mum} says {dad} texts her constantly about the arrangements and {child} sees the messages
         the parents are in family court and both are making counter allegations
         {child} says {his} parents use {him} 'as a messenger'
         {mum} has stopped contact after {dad}'s new partner shouted at her at handover
         {dad} says {mum} is turning {child} against him
         the parents argue on the doorstep every weekend and {child} gets upset
         acrimonious separation, {child} is being asked to choose who to live with
         {mum} and {dad} split up last month and the arguments are affecting {child}'s sleep
         parents separated, arguments over contact
         """,
         topics="""
         separation conflict
         disputes over contact
         issues with child arrangements
         contact arrangements
         separation issues
         post-separation conflict
         arguments at handovers
         family court
         """),
    _ind("behaviour_concerns", 2, "socially unacceptable behaviour", prevalence=2.0, ages=(4, 16), sources=("school",),
         asserted="""
         {child} has been increasingly disruptive in class and was given a fixed term exclusion
         {child} threw a chair in the classroom and hit another pupil
         {child}'s behaviour has changed, {he} is withdrawn one day and aggressive the next
         {child} is struggling to regulate and has had several incidents at lunchtime
         {child} swore at a teacher and walked out of school
         {child} has been bullying younger children and is on a behaviour plan
         {child} has been sent out of lessons four times this week for shouting and throwing things
         {child} kicked a member of staff during a meltdown
         {child} has been on report all term for disruption
         {child} hit another child at lunch and was sent home for the rest of the day
         {child} keeps running out of class and hiding
         {child} has bitten two children in the last week
         {child} is having daily meltdowns and school are struggling to manage
         {child} has been suspended for fighting
         {child} threw a pair of scissors at a classmate
         {child}'s behaviour has got worse since Christmas - defiance, swearing, refusing to work
         {child} said 'I'm going to kill you' to another pupil during a row over football
         {child} damaged a display and kicked doors when told no
         {child} disruptive in class, on report
         """,
         topics="""
         behaviour
         challenging behaviour
         aggression
         behaviour issues
         disruptive behaviour
         exclusions
         aggressive outbursts
         """),
    _ind("child_low_mood", 2, "mental health, child", prevalence=2.0, ages=(8, 17), sources=("school", "health"),
         asserted="""
         {child} has been very anxious and is struggling to come into school
         {child} seems low in mood and has withdrawn from {his} friends
         {child} is on the CAMHS waiting list for anxiety and is finding things hard
         {child} told staff {he} feels sad all the time but has no thoughts of hurting {him}self
         {child} is having panic attacks in lessons
         {child} is not sleeping and says {he} worries about everything
         {child} has been crying in lessons and says {he} has no friends
         {child} is quiet and tearful and {mum} has booked a GP appointment about {his} mood
         {child} says {he} feels 'a bit rubbish' most days
         {child} has stopped going to football and would rather stay in {his} room
         {child} has been anxious about exams and is struggling to sleep
         {child} cries most mornings before school
         {child} is on the waiting list for counselling for low mood
         {child} has been very withdrawn since {his} grandad died
         {child} gets panicky in crowded places and has missed a few assemblies
         {child} said {he} 'hates {his} life' but when asked more said {he} didn't mean it and has no thoughts of hurting {him}self
         {child} is worrying a lot about {mum} and is finding it hard to concentrate
         {child} has been eating less and seems flat, {mum} has contacted the GP
         {child} low, anxious, on CAMHS waiting list
         """,
         topics="""
         anxiety
         low mood
         emotional wellbeing
         mood
         worries
         mental wellbeing
         sadness
         """),
    # ---------------- level 1: universal ----------------
    _ind("notification_no_concern", 1, "notification", prevalence=3.6, sources=("police", "health", "other"),
         asserted="""
         for information: {mum} was arrested for a driving offence, {child} was cared for by {rel} throughout
         {dad} has been remanded for an offence not involving children, {mum} is coping and {child} is well cared for
         sharing for information only, {child} was a witness to a road traffic collision and is fine
         the family have moved into the area from {town2}, notification only
         {child} was a passenger in a car stopped by police, no concerns for {him}
         {child} was the victim of a theft of {his} bike, {mum} dealt with it appropriately
         routine notification: {child} attended A&E with a minor illness, discharged home with {mum}
         for information, police attended a noise complaint at the address, the children were asleep and well cared for
         officers attended a sudden death at the address, an elderly relative, {child} was being cared for by {mum} throughout
         {child} witnessed a stabbing in town and has given a statement, {mum} was with {him} and is very supportive
         {mum} reported a burglary at the home, {child} was at school, nothing further
         police were called to a noise complaint, nothing found, children asleep upstairs and well
         notification only: {dad} has been arrested for drink driving, he does not live with {child}
         {child} was in a car involved in a collision, checked over by paramedics and unhurt
         for information: {child} reported being followed by a man in a car, police checked and it was a delivery driver
         the family car was stolen overnight, {child} is fine
         {child} was spoken to by police as a witness to a fight outside the shops, no concerns for {him}
         {mum} was the victim of a fraud and reported it to police, the children are not affected
         police attended after reports of screaming, it was {child} having a tantrum over bedtime, the home was tidy and {mum} calm
         for info - police attended, no concerns for the children
         """,
         topics="""
         police involvement
         police contact
         police notifications
         police attendance
         incidents at the address
         notifications
         """),
    _ind("minor_accidental_injury", 1, "health", prevalence=2.2, ages=(1, 17), sources=("health", "school"),
         asserted="""
         {child} fell off the climbing frame and broke {his} wrist, witnessed by staff
         {child} has a graze on {his} knee from falling off {his} scooter, {mum} explained straight away
         {child} attended A&E with a cut to the chin after tripping at soft play, consistent explanation
         {child} bumped {his} head on a table at nursery, accident form completed
         {child} has a bruise on {his} shin from football, {he} told staff about it {him}self
         {child} sprained {his} ankle at trampoline park, presented promptly with {mum}
         {child} cut {his} finger on a tin at home, {mum} took {him} to the walk-in centre straight away
         {child} has a bump on the head from a fall in the playground, seen by the first aider
         {child} has a large bruise on {his} forehead from walking into a door frame at school, witnessed by staff
         {child} has a black eye from a cricket ball at practice, the coach saw it happen
         {child} fell down the last few stairs at home and {mum} took {him} straight to the GP, just a sprain
         {child} came in with a bandaged hand, burnt on the oven door, {mum} had it seen at the minor injuries unit the same day
         {child} split {his} lip at swimming, first aid given
         {child} has scratches on {his} arms from the family cat and told staff about it
         {child} broke {his} arm falling off the trampoline, seen in A&E, history consistent
         {child} has a bump and a graze from falling over in the playground, reported to {mum} at home time
         {child} has bruises on {his} shins from football which staff saw happen
         {child} caught {his} finger in a door at home and has a blue nail, explained straight away by {mum} and {child}
         {child} - graze to knee, fell in playground, witnessed
         """,
         topics="""
         accidents
         minor injuries
         accidents at home
         minor knocks
         bumps and bruises
         accidental injuries
         """),
    _ind("parenting_advice_request", 1, "parenting support", ages=(0, 12), prevalence=2.0, sources=("individual", "health", "school"),
         asserted="""
         {mum} is asking for advice about {child}'s sleep routine
         {mum} would like some support with {child}'s tantrums and asked about parenting courses
         {dad} wants help with {child}'s screen time and bedtimes
         {mum} asked if there are any groups for new parents in the area
         {mum} is a first-time mum and would like information about toddler groups
         {mum} wants advice on how to talk to {child} about the separation
         {mum} is finding {child}'s fussy eating hard and asked for some tips
         {dad} asked about support for {child}'s bedwetting
         {mum} would like help with bedtimes as {child} is up until midnight
         {mum} is at the end of her tether with the screaming tantrums and asked what help is out there
         {dad} is a single parent and asked about local support groups
         {mum} wants advice on potty training
         {mum} asked about a parenting course at the family hub
         {mum} asked how to manage {child}'s behaviour since the new baby arrived
         {dad} asked the HV about support with {child}'s speech
         {mum} wanted to know about free childcare hours
         {mum} asked for advice because {child} keeps hitting {sib} when they play
         {mum} feels a bit lost as a new parent and wanted to know what groups are available
         {mum} asking for parenting advice re sleep
         """,
         topics="""
         parenting advice
         parenting courses
         parenting support
         advice about parenting
         support with routines
         """),
    _ind("minor_worry_resolved", 1, "family functioning", ages=(4, 17), prevalence=1.8, sources=("school", "individual", "health"),
         asserted="""
         {child} was upset about a falling out with friends, this was resolved by the class teacher
         {child} had head lice which {mum} has now treated
         {child} was worried about moving to secondary school, {mum} has spoken to the new school
         {child} forgot {his} PE kit several times, {mum} has sorted it
         {child} had a cold and missed two days with a note from {mum}
         {mum} and {child} had an argument about {his} phone which they have talked through together
         {child} was upset after losing {his} phone, it was found and {he} is fine
         there was a disagreement between {mum} and the school about a detention, now sorted
         {child} said a child in {his} class called {him} names, this has been dealt with by the school
         {child} was worried about {his} nan being in hospital and {mum} has talked it through with {him}
         {child} told staff {he} was 'scared to go home' because {he} got a detention, {mum} was spoken to and was very understanding
         {child} was late twice last week because the car broke down, now fixed
         {child} had a nosebleed at school and {mum} collected {him}, no concerns
         {child} lost {his} dinner money and was upset, {mum} sorted it out with the office
         {child} said {he} had no breakfast this morning, {mum} explained they overslept and sent a snack in
         {child} was unhappy about a change of seats in class, resolved
         {child} fell out with {his} best friend over a game online, both families have spoken and it is sorted
         {child} was crying in the playground because {he} missed {his} dad who works away, settled quickly
         friendship issue, resolved in school
         """,
         topics="""
         minor worries
         falling outs with friends
         minor concerns
         small worries
         friendship issues
         minor issues
         """),
)  # fmt: skip

INDICATOR_BY_LABEL: Final[dict[str, IndicatorSpec]] = {i.label: i for i in INDICATORS}

# --- generic frames for mentions that are not asserted --------------------------------------
# {topic} is one of the indicator's topics; the frames are shared by all indicators so that a
# keyword alone cannot tell a severe contact from a negated one.

NEGATED_FRAMES: Final = _lines("""
no {topic} was observed
{mum} denies any {topic}
there is no evidence of {topic} at this time
{child} denied any {topic} when spoken to alone
no disclosures of {topic} were made
officers found no indication of {topic}
{topic} was asked about and ruled out
no concerns re {topic}
referrer is not aware of any {topic}
nothing to suggest {topic}
{topic}: none known
{mum} and {partner} both deny {topic}
checks show no {topic}
staff have not seen any {topic}
no reports of {topic} from school or health
{child} was spoken to and did not mention any {topic}
police have no record of {topic}
{topic} - this was checked and is not the case
asked directly about {topic}, {mum} said no, and nothing seen contradicts that
nil re {topic}
no {topic} disclosed
there were no signs of {topic} during the visit
school have no worries about {topic}
{topic}? - no
{topic} was considered but there is nothing to support it
the GP has no concerns about {topic}
{rel} was adamant there is no {topic} and nothing was seen to suggest otherwise
I didn't see anything that looked like {topic}
no evidence whatsoever of {topic}
checks with police, health and school found no {topic}
nobody working with the family has raised {topic}
{topic} denied by all parties and not observed
{topic} is not a feature here
we found nothing to indicate {topic}
officers were satisfied there was no {topic}
there is nothing on file about {topic}
health have never had any worries about {topic}
there's no suggestion of {topic} at all
{topic} not identified
screened for {topic} - negative
{mum} laughed when asked about {topic}, said absolutely not, and the home fitted with that
there is definitely no {topic}, the referrer wanted to make that clear
when asked, {child} said there has been no {topic} and {he} seemed relaxed talking about home
no one at the address has any history or current issue with {topic}
""")
HISTORICAL_FRAMES: Final = _lines("""
there is a history of {topic} from {year}, the case was closed and there have been no further concerns
previous {topic} involving an ex-partner, who has had no contact for years
historic {topic} is noted on file from when {child} was younger, since resolved
{mum} disclosed {topic} in the past, long before {child} was born
closed to CSC in {year} after concerns about {topic}, no new information since
{topic} was an issue a few years ago, {mum} says things are much better now
{mum} experienced {topic} in her own childhood
old record of {topic} at a previous address in {year}, NFA at the time
there were concerns about {topic} in {year} which were addressed with support
{topic} was years ago and has not come up since
there was some {topic} when {mum} was a teenager, nothing since
{mum} had difficulties with {topic} years ago, before the children were born
old police record of {topic} from {year}, no further incidents
in {year} there were concerns about {topic}, but the family moved away and nothing since
previous CSC involvement for {topic}, closed in {year}
{mum} talked about {topic} with a previous partner, long before {child}
historic {topic}, {year}, NFA
{topic} is mentioned in old notes from {year}; there has been nothing since
{dad} had problems with {topic} when he was younger and has been fine for many years
{topic} featured in an old assessment ({year}) which closed with no further action
a single contact about {topic} was made in {year} and closed the same week
{rel} mentioned there were issues with {topic} in the family a long time ago
back in {year} {topic} was looked at by the previous authority and closed
{mum} said she went through {topic} herself as a child, but that was a long time ago
earlier worries about {topic} date from {year} and were resolved
health records note {topic} in {year}, nothing recent
GP records mention {topic} from before {child} was born
the family had an early help plan around {topic} in {year} which closed successfully
""")
HEDGED_FRAMES: Final = _lines("""
query {topic}?
possibly {topic} but nothing concrete
unclear whether there is any {topic}
staff wondered about {topic} but have nothing specific to report
cannot rule out {topic}
some worry about {topic}, not confirmed
there may be {topic} but this is only a feeling
I'm not sure if there is {topic}, {child} did not say much
?{topic}
can't say for sure but I wonder about {topic}
a gut feeling about {topic}, nothing more
may be some {topic} - not confirmed
not sure, might be {topic}?
I wondered about {topic} but couldn't put my finger on anything
there could be {topic}, it's hard to tell
staff have a niggle about {topic}
possible {topic}, unclear
I don't know if there's any {topic}, it just didn't feel right
{topic} cannot be excluded, but nothing seen
there might be an issue with {topic}, though this is speculation
I'm wondering if {topic} might be a factor
it crossed my mind there might be {topic}
query re {topic}, no evidence either way
not sure whether {topic} is part of the picture
""")
#: The same modes wrapped round an indicator's own asserted clause, so that its exact
#: wording also turns up denied, in the past or in doubt.
NEGATED_CLAUSE_FRAMES: Final = _lines("""
it was alleged that {clause}, but this was looked into and is not true
a previous report said that {clause}; officers found this to be malicious and unfounded
the referrer first thought that {clause}, but this turned out to be a misunderstanding
there was an allegation that {clause}; on checking, this was about a different family
{rel} claimed that {clause}, {mum} strongly denies this and nothing was found to support it
{clause} - this was checked and is not the case
the allegation that {clause} has been investigated and was unfounded
it had been reported that {clause}; police have no record of this and officers found nothing
{rel} said {clause}, but when this was checked it was untrue
a caller claimed {clause}; the welfare check found no evidence of it
someone reported that {clause} but the referrer has since confirmed it was a mix-up
it was first reported that {clause}, and the caller withdrew this the same day saying it was wrong
concerns that {clause} were raised and fully looked into, nothing found
there was a claim that {clause}; school, health and police all say this has not happened
at first it looked as though {clause}, but this was ruled out after checks
the suggestion that {clause} has been checked with the family and professionals and is not accurate
although the message said {clause}, this turned out to be wrong
""")
HISTORICAL_CLAUSE_FRAMES: Final = _lines("""
in {year} {clause}; the family worked with services and the case was closed
back in {year} {clause}, but there have been no concerns since
{mum} said that years ago, before moving here, {clause}
the file notes that in {year} {clause}, this was resolved at the time
previously (around {year}) {clause} - closed to CSC after a CIN plan
years ago, before the family moved to the area, {clause}
{clause} - but this was in {year} and the family have moved on
many years ago {clause}; nothing like it since
according to old records from {year}, {clause}
when {mum} lived in {town2} in {year}, {clause}; closed after support
{mum} mentioned that in the past {clause}, but that was a long time ago
there is an old note dating from {year} that {clause}
it was recorded in {year} that {clause}, with no repeat since
a closed file from another authority says that in {year} {clause}
historically {clause}, though this has not been an issue for several years
the last time the family were known ({year}) {clause}, which was worked with and closed
""")
HEDGED_CLAUSE_FRAMES: Final = _lines("""
it is possible that {clause}, but nobody has actually seen anything
there is a rumour that {clause}, nothing has been confirmed
staff are not sure, but they wonder if {clause}
{child} may have said that {clause} but then laughed and said {he} was joking
unverified: {clause}?
can't say for sure but {clause}
I might be wrong, but I think {clause}
not confirmed: possibly {clause}
there is a suspicion that {clause}, but no one has been able to confirm it
{child} hinted that {clause}, but would not say any more and it's unclear
it may be that {clause} - we just don't know yet
we have a feeling that {clause}, but nothing concrete
{clause}?? unconfirmed, just a worry at this stage
staff half-heard something suggesting {clause}, it isn't clear
unclear if {clause}
there's talk that {clause}, but I can't confirm it
""")
THIRD_HAND_FRAMES: Final = _lines("""
{rel} told the referrer that {clause}
according to a neighbour, {clause}
another parent at the school gate said {clause}
it has been reported second hand that {clause}
a friend of the family says {clause}
{rel} phoned to say she had heard that {clause}
the referrer was told by a colleague that {clause}
information from {rel} is that {clause}
heard through the grapevine that {clause}
{child}'s friend told a member of staff that {clause}
a neighbour, who did not want to be named, says {clause}
{mum}'s friend rang the school to say {clause}
we have been told by another agency that {clause}
it was passed on by a parent at the football club that {clause}
the driver who does the school run reported that {clause}
{rel} says {child} told them that {clause}
according to {rel}, {clause}
someone on the estate has been saying {clause}
a message came via the school office from another parent that {clause}
a lunchtime supervisor passed on that {clause}
the housing officer was told by a neighbour that {clause}
relayed via {mum}'s friend: {clause}
""")
#: General hedges about the threshold; they appear at the same rate whatever the label.
HEDGES: Final = _lines("""
not sure if this meets threshold but wanted to share
for information only
sharing as a precaution
I may be overreacting but please advise
discussed with my DSL who felt it should be passed on
please can someone give me a call back to discuss
unsure whether this needs a referral or advice
passing on for your records
I was advised by my manager to make a contact
please advise on next steps
could this be looked at as a matter of urgency please
not sure this is one for you but thought I should ring
just wanted to run this past someone
sorry if this turns out to be nothing
I don't want to get anyone into trouble
flagging in case it fits with anything else you hold
happy to be told this is for early help instead
can you check if the family are known
for your information and any action you feel necessary
would appreciate a consultation with a social worker
raising this so it is on record
unsure of threshold, please advise
I've been in two minds about calling
""")
PROTECTIVE: Final = _lines("""
{mum} engaged well and has already contacted her GP
{rel} lives nearby and is very supportive of the family
{partner} has left the address and {mum} has a safety plan in place
{child} presented as happy and well cared for
home conditions were good and there was plenty of food in the house
{school} report that {child} is well presented and attendance is 97%
{mum} was open and receptive to advice and agreed to a referral to a parenting group
{child} has a trusted adult at school and speaks to them regularly
{mum} acted protectively and called the police herself
{dad} is now caring for {child} and there are no concerns about his care
{child} is meeting all {his} developmental milestones
the family have good support from their church and extended family
{mum} has accepted support from the family hub
{child} has a warm relationship with {mum} and was happy to go home
{mum} has taken out a non-molestation order and changed the locks
{rel} has offered to have the children to stay whenever it's needed
{child} is close to {his} grandparents and sees them every week
{mum} recognised the concerns straight away and asked what she could do
school describe {mum} as engaged, she always responds to calls
{dad} is supportive and has arranged to take {child} to and from school
there is a good network of friends and family around {mum}
{mum} is already working with the family hub and finds it helpful
{child} said {he} feels safe at home
{mum} has been attending her appointments and taking her medication
the home was clean and tidy with plenty of age-appropriate toys
{child} is clearly attached to {mum} and looked to her for comfort
{partner} has agreed to move out while things are looked into
{mum} has engaged with a DA support worker and is following the safety plan
{dad} and {mum} are working together well for {child} despite the separation
""")
#: Context that does not bear on the threshold.
CONTEXT: Final = _lines("""
{dad} works nights at a warehouse in {town2}
the family moved to the area from {town2} in {year}
{child} enjoys football and goes to a club on Saturdays
officers attended at 23:40 and were on scene for about an hour
the call lasted around ten minutes
the referrer is happy to be contacted
{mum} was on her phone for most of the appointment
{child} has two older siblings who live with their dad
the family have a dog which was shut in the kitchen
{child} likes drawing and was chatty with staff
the visit was brief as {mum} had another appointment
{mum} works part time at a supermarket
{child} is in {school_year}
the flat is on the third floor and the lift was broken
{mum} said she had not slept well as {child} has been teething
{child} was wearing a Spiderman t-shirt
{child} has a diagnosis of asthma and uses an inhaler
{mum} asked about changing GP surgeries
the family are Jehovah's Witnesses
{child} was picked up by {rel} at 3.15
this information was passed on by the duty officer
{mum} is studying at college
{child} recently started at {school}
{dad} is in the army and often away
the car was parked outside on the drive
there was a birthday party going on at the time
{mum} has recently had a new baby
the family has been known to the GP practice for years
{mum} offered me a cup of tea
the family have lived at the address for about six years
{dad} has recently started a new job in {town2}
the referrer has known the family for about two years
this was logged at 16:45
the call came through the out of hours line
{mum} recently passed her driving test
the visit took place in the front room
{mum} was expecting a delivery and kept checking the window
there is a cat at the property
the TV was on in the background
{mum} works on the catering team at the hospital
it was raining heavily so everyone stayed indoors
the house next door is having building work done
{rel} was also present for part of the visit
the referrer spoke to {mum} in the car park
the family are waiting to hear about a house swap
{child}'s birthday is next month
{mum} has a part-time job at a care home
{dad} was watching the football when officers arrived
{mum} is hoping to go back to college in September
the flat is above a row of shops
{mum} asked for a copy of the letter
{mum} mentioned she is thinking of retraining as a nurse
{rel} spent thirty years in the police and is now retired
the family have a second car that {dad} uses for work
the referrer works part time and is in on Mondays and Thursdays
""")
#: What the referrer did and who was spoken to; neutral about the threshold.
PROCESS: Final = _lines("""
I spoke to {mum} on the phone after the visit and she was polite
{child} was seen and spoken to on {his} own
checks have been completed on our systems
I have informed my line manager
the referrer has recorded this on the school's system
{mum} was told that information would be shared with the front door
I have tried calling {mum} twice this afternoon with no answer
{child} is due to be seen again next week
the GP has been informed
{child} went home at the usual time
information was gathered from the neighbourhood team
the notes from the last visit are attached
{mum} said she would call back but hasn't yet
we will continue to monitor in the meantime
the duty worker has been updated
I have not yet spoken to {dad}
there is a sibling {sib} who lives at the same address
{child} was collected from school by {rel}
a follow-up visit has been booked for next week
I made a written record straight after the conversation
the conversation was had in the presence of another member of staff
{mum} has asked to be kept updated
the family did not know why we were visiting
I am off tomorrow so please contact my colleague
the case was discussed at the weekly safeguarding meeting
I have shared this with the DSL
the information has been added to the chronology
I will send the written referral form this afternoon
I checked with the GP surgery before calling
I spoke to the duty social worker who advised making a contact
I will try to visit again on Monday
a copy of this has gone to the named nurse for safeguarding
no one else was present during the conversation
I have used the family's own words where I could
I asked open questions and did not lead
this has been logged on the school's safeguarding system
my manager is aware and agrees with the contact
the school nurse has been updated
I have emailed the secure form across as well
the police reference number will follow
we discussed this in supervision
information was checked against our records before calling
""")
CLOSINGS: Final = _lines("""
parents are aware of this contact
{mum} is not aware of this contact as it may increase risk
consent was not sought
consent given by {mum} to share information
referrer: {referrer}, {referrer_phone}
contact me on {referrer_phone} or {referrer_email}
my email is {referrer_email}
{mum} can be contacted on {phone}
{mum}'s number is {phone}, she doesn't always answer
please contact {mum} on {phone} or {email}
please call me back on {referrer_phone}
{referrer}, {referrer_email}
I can be reached on {referrer_phone} until 4pm
thanks, {referrer}
kind regards, {referrer}
many thanks, {referrer}, {referrer_phone}
{mum} knows we are making this contact and is fine with it
{mum} has been told about this contact and did not object
not discussed with the family yet
best number for {mum} is {phone}
{dad} is on {phone}
email for the family: {email}
if no answer please leave a message on {referrer_phone}
consent: yes, verbal, from {mum}
consent: no
""")
WHEN: Final = _lines("""
last night
yesterday evening
on Saturday
this morning
over the weekend
earlier today
on Friday night
at about 2am
last week
yesterday
on Sunday evening
in the early hours
at around 10pm
on Tuesday
two nights ago
on Monday morning
after school yesterday
on Thursday
""")

#: Practitioners' abbreviations: phrase -> forms it is written as in some contacts.
ABBREVIATIONS: Final[dict[str, tuple[str, ...]]] = {
    "domestic abuse": ("DA", "domestic abuse", "DA"),
    "domestic violence": ("DV", "dv"),
    "health visitor": ("HV",),
    "designated safeguarding lead": ("DSL",),
    "early help assessment": ("EHA",),
    "early help": ("EH", "early help"),
    "children's social care": ("CSC", "childrens services", "social care"),
    "section 47": ("s47", "S47"),
    "mental health": ("MH", "mental health"),
    "because": ("bc", "because", "cos"),
    "mother": ("mum", "M", "mother"),
    "father": ("dad", "F", "father"),
    "with": ("w/", "with"),
    "without": ("w/o", "without"),
    "no further action": ("NFA",),
    "police": ("police", "Police", "old bill"),
    "young person": ("YP",),
    "and": ("and", "&"),
    "appointment": ("appt", "appointment"),
    "appointments": ("appts", "appointments"),
    "information": ("info", "information"),
    "regarding": ("re", "regarding"),
    "social worker": ("SW", "social worker"),
    "boyfriend": ("bf", "boyfriend", "boyfriend"),
    "no concerns": ("nil concerns", "no concerns", "no concerns"),
    "approximately": ("approx",),
    "children": ("children", "children", "chn"),
    "weeks": ("weeks", "wks"),
}


@dataclass(frozen=True, slots=True)
class Voice:
    """A referrer voice: who writes the contact, under which contract ``source``, with its
    opening templates (the first sentences of the contact)."""

    name: str
    source: str
    weight: float
    openings: tuple[str, ...]
    min_age: int = 0


VOICES: Final[tuple[Voice, ...]] = (
    Voice(
        "police_domestic",
        "police",
        0.55,
        _lines("""
    PPN submitted following attendance at {address_full} {when}
    Police attended {address_full} at 01:20 following a 999 call from {mum}
    DOMESTIC INCIDENT - officers attended {address_full}, occupants {mum_full} and {partner_full}
    Police notification re {child_full} (DOB {dob}) following an incident at the home address {address_full}
    Officers called to {address_full} by a neighbour reporting shouting
    PPN1: child {child_full} {dob}, home address {address_full}
    VPN: DA incident at {address_full} {when}, IP {mum_full}, suspect {partner_full}
    Officers attended {address_full} following a call from a neighbour, IP {mum}, children resident at the address
    Domestic abuse notification, address {address_full}, children: {child_full} ({dob})
    999 call received from {address_full} {when}, officers on scene within ten minutes
    """),
    ),
    Voice(
        "police_other",
        "police",
        0.45,
        _lines("""
    Police notification: officers attended {address_full} regarding {child_full}
    Welfare check completed at {address_full} {when}
    Police report re {child_full} DOB {dob}
    Officers stopped {child_full} in {town2} {when}
    Child at risk notification from police for {child_full}, address {address_full}
    Officers carried out a welfare check on {child_full} at {address_full}
    Police contact re {child_full}, DOB {dob}, following a report from a member of the public
    Notification from the neighbourhood policing team about {child_full}
    """),
    ),
    Voice(
        "school_dsl",
        "school",
        0.6,
        _lines("""
    I am the DSL at {school} and I am contacting you about {child_full} (DOB {dob})
    Referral from {school}, DSL {referrer}, re {child_full}
    Concern raised by {school} regarding {child_full}, {school_year}
    {school} safeguarding concern for {child_full} who lives at {address_full}
    Pupil: {child_full}, DOB {dob}, school: {school}
    Hi, I'm one of the DSLs at {school}, ringing about {child_full} in {school_year}
    Email from {referrer}, safeguarding lead at {school}, re {child_full} (DOB {dob})
    Good afternoon, I'm writing from {school} with a concern about {child_full}
    """),
    ),
    Voice(
        "school_teacher",
        "school",
        0.25,
        _lines("""
    {child}'s class teacher at {school} raised a concern {when}
    I teach {child_full} at {school}
    Form tutor at {school} reports
    Class teacher at {school} raising a worry about {child_full}
    {child}'s teacher at {school} contacted us {when}
    """),
    ),
    Voice(
        "child_via_school",
        "school",
        0.15,
        min_age=4,
        openings=_lines("""
    {child_full} came to see me at {school} at lunchtime and asked to talk
    {child} ({school}) approached a member of staff at the end of the day
    {child} told me in a 1:1 at {school}
    {child_full} asked to speak to {his} teacher at {school} at break
    {child} (pupil at {school}) wanted to talk to someone after PE
    """),
    ),
    Voice(
        "health_visitor",
        "health",
        0.3,
        _lines("""
    HV home visit completed at {address_full} {when} for {child_full}, DOB {dob}
    Health visitor contact re {child_full} NHS no {nhs}
    I am {child}'s health visitor, family live at {address_full}
    HV contact: {child_full}, {dob}, {address_full}
    Health visiting team raising a concern about {child_full}, NHS {nhs}
    """),
    ),
    Voice(
        "gp",
        "health",
        0.2,
        _lines("""
    GP surgery contact regarding {child_full}, DOB {dob}, NHS number {nhs}
    Dr {referrer_last} from the practice is concerned about {child_full}
    GP appointment {when} with {mum_full} and {child}
    Dr {referrer_last}, GP, re {child_full} (DOB {dob})
    Practice safeguarding lead contact regarding {child_full}, NHS no {nhs}
    """),
    ),
    Voice(
        "emergency_department",
        "health",
        0.25,
        _lines("""
    {child_full} (DOB {dob}, NHS {nhs}) attended A&E {when}
    ED safeguarding notification: {child_full}, {dob}, address {address_full}
    Paediatric liaison: {child_full} was seen in the emergency department {when}
    A&E safeguarding: {child_full} DOB {dob} seen {when}
    Children's ED liaison nurse contact re {child_full}, NHS {nhs}
    """),
    ),
    Voice(
        "midwife",
        "health",
        0.15,
        _lines("""
    Midwife contact: {mum_full} DOB of child {dob}, address {address_full}
    Community midwife visit to {mum_full} at {address_full}
    Antenatal booking appointment for {mum_full}, tel {phone}
    Midwifery safeguarding contact re {mum_full}, {address_full}
    Community midwife {referrer} contacting about {mum_full}, tel {phone}
    """),
    ),
    Voice(
        "camhs",
        "health",
        0.1,
        min_age=5,
        openings=_lines("""
    CAMHS contact regarding {child_full} DOB {dob}
    Following a CAMHS assessment of {child_full}
    CAMHS practitioner {referrer} raising a concern about {child_full}
    CAMHS duty worker contact re {child_full}, {dob}
    """),
    ),
    Voice(
        "housing",
        "la_services",
        0.35,
        _lines("""
    Housing officer visit to {address_full} {when}
    Tenancy officer for {address_full} raising a concern about the children
    Housing options contact re {mum_full} and {child}, tel {phone}
    Housing contact from {referrer}, tenancy sustainment, re the family at {address_full}
    Housing needs officer calling about {mum_full}, tel {phone}
    """),
    ),
    Voice(
        "youth_worker",
        "la_services",
        0.3,
        min_age=9,
        openings=_lines("""
    Youth worker contact regarding {child_full}
    I am {child}'s youth worker and saw {him} at the youth club {when}
    Youth offending service contact for {child_full}, DOB {dob}
    Detached youth worker raising a concern about {child_full}
    Contact from {referrer} at the youth service re {child_full}
    """),
    ),
    Voice(
        "early_help_worker",
        "la_services",
        0.35,
        _lines("""
    Early help worker for the family at {address_full}
    Family support worker update re {child_full} ({dob})
    Step up request from the family hub for {child_full}
    Family hub practitioner {referrer} contacting about {child_full}
    EH worker for {mum_full} and the children at {address_full}
    """),
    ),
    Voice(
        "probation",
        "other",
        0.3,
        _lines("""
    Probation officer for {partner_full} making a contact regarding children at {address_full}
    Probation service notification re {partner_full} and the children at {address_full}
    Probation officer {referrer} re {partner_full}, address given as {address_full}
    """),
    ),
    Voice(
        "voluntary_sector",
        "other",
        0.4,
        _lines("""
    Contact from a DA support service regarding {mum_full}, tel {phone}
    Food bank volunteer raising a concern about {mum_full} and her children
    Women's Aid worker contact re {mum_full} and {child}
    Church youth leader concerned about {child_full}
    Children's centre worker raising a concern about {child_full}
    Support worker from a local charity calling about {mum_full} and {child}
    """),
    ),
    Voice(
        "sports_coach",
        "other",
        0.15,
        min_age=5,
        openings=_lines("""
    Football coach at {child}'s club raising a concern about {child_full}
    Swimming instructor contact about {child_full}
    Coach at {child}'s club contacting about {child_full}
    """),
    ),
    Voice(
        "out_of_area",
        "other",
        0.15,
        _lines("""
    Transfer of information from another local authority re {child_full}, DOB {dob}, now living at {address_full}
    Contact from {town2} children's services about {child_full}
    {town2} MASH forwarding information about {child_full}, DOB {dob}
    """),
    ),
    Voice(
        "neighbour",
        "individual",
        0.45,
        _lines("""
    Neighbour of the family at {address_full} called
    Member of the public living near {address_full} rang in
    Neighbour called about the children at number {house_no}
    A neighbour phoned in about the family at {address_full}, sounded worried
    The caller lives next door to {mum} at {address_full}
    """),
    ),
    Voice(
        "relative",
        "individual",
        0.4,
        _lines("""
    {rel_full}, {child}'s maternal grandmother, called on {referrer_phone}
    {child}'s aunt {rel_full} phoned the front door
    Paternal grandmother {rel_full} is worried about {child_full}
    {rel_full}, a family member, rang in very worried about {child}
    Call from {rel_full}, who is related to {child} on {his} mum's side
    """),
    ),
    Voice(
        "parent_self",
        "individual",
        0.15,
        _lines("""
    {mum_full} called for advice, tel {phone}
    {dad_full} rang regarding his child {child_full}
    Self referral from {mum_full} ({email})
    {mum_full} rang in herself, number {phone}
    {mum} called the front door asking for help, contact {phone}
    """),
    ),
    Voice(
        "anonymous",
        "anonymous",
        1.0,
        _lines("""
    Anonymous caller who did not want to give their details reports concerns about {child} at {address_full}
    Anonymous call about the family at {address_full}
    Caller refused to give name, concerned about a child at {address_full}
    Anonymous online report regarding children living at {address_full}
    Caller wished to remain anonymous, calling about a child living at {address_full}
    Anon caller: concerned about the kids at {address_full}
    Anonymous letter received about the family at {address_full}
    """),
    ),
)

#: Text cues for the optional correlated cues of an injected bias (attribute -> value -> cues).
BIAS_CUES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "child_ethnicity": {
        "white": _lines(
            "family attend the working men's club on Fridays\n{mum} is from a large local family on the estate"
        ),
        "mixed": _lines(
            "{child} has contact with {his} dad's side of the family at weekends\n{mum} says {child} gets comments about {his} hair at school"
        ),
        "asian": _lines(
            "the family attend the mosque on Fridays\n{child} goes to madrassa after school\nthe family attend the gurdwara at weekends"
        ),
        "black": _lines(
            "the family attend a Pentecostal church on Sundays\n{child} goes to a Saturday supplementary school\n{rel} came over from Lagos to help"
        ),
        "other": _lines("the family arrived from abroad last year\n{mum} speaks Arabic at home"),
        "unknown": _lines("ethnicity not recorded by referrer"),
    },
    "needs_interpreter": {
        "True": _lines(
            "an interpreter was needed for the conversation with {mum}\n{mum} speaks very little English, {child} translated\nspoken to with a telephone interpreter"
        ),
        "False": _lines("{mum} speaks good English"),
    },
    "child_disability": {
        "yes": _lines(
            "{child} has an EHCP and is non-verbal\n{child} has autism and ADHD\n{child} uses a wheelchair"
        ),
        "no": _lines("{child} has no additional needs"),
        "unknown": _lines("any additional needs are unknown"),
    },
    "child_sex": {
        "female": _lines("{child} is a girl in the netball team"),
        "male": _lines("{child} is a boy in the football team"),
        "unknown": _lines("sex of the child not given"),
    },
}
