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
         """,
         topics="""
         physical chastisement
         hitting at home
         disclosures of being hit
         physical abuse
         being smacked or hit by a parent
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
         """,
         topics="""
         non accidental injury
         NAI
         unexplained injuries
         suspicious bruising
         marks or injuries
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
         """,
         topics="""
         bruising on the baby
         any marks or bruises on the baby
         injuries to the infant
         bruising
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
         """,
         topics="""
         sexual abuse
         sexual harm
         inappropriate touching
         sexual disclosures
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
         """,
         topics="""
         CSE
         sexual exploitation
         contact with older men
         grooming
         older men giving gifts
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
         """,
         topics="""
         county lines
         criminal exploitation
         CCE
         drug running
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
         """,
         topics="""
         pregnancy
         sexual activity
         older boyfriends
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
         """,
         topics="""
         FGM
         female genital mutilation
         risk of cutting
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
         """,
         topics="""
         trafficking
         modern slavery
         forced labour
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
         """,
         topics="""
         weight loss
         faltering growth
         feeding problems
         failure to thrive
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
         """,
         topics="""
         neglect
         poor home conditions
         the children going hungry
         squalid conditions
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
         """,
         topics="""
         domestic abuse in pregnancy
         DA during the pregnancy
         violence towards mum
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
         """,
         topics="""
         risk to children in the household
         risk from sex offenders
         concerning adults in the home
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
         """,
         topics="""
         injury to the child during DA
         injury to the child
         violence towards the children
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
         """,
         topics="""
         domestic abuse
         DA
         DV
         violence at home
         domestic incidents
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
         """,
         topics="""
         repeat incidents
         previous domestic callouts
         ongoing domestic abuse
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
         """,
         topics="""
         drug use
         substance misuse
         parental drug use
         drugs in the home
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
         """,
         topics="""
         alcohol misuse
         drinking
         parental alcohol use
         being under the influence
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
         """,
         topics="""
         mental health concerns
         parental mental health
         mum's mental health
         low mood in the parent
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
         """,
         topics="""
         neglect of basic care
         poor hygiene
         basic care needs not being met
         unkempt presentation
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
         """,
         topics="""
         early help
         EHA involvement
         family support
         TAF involvement
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
         """,
         topics="""
         attendance concerns
         non-attendance
         absence from school
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
         """,
         topics="""
         suicidal thoughts
         mental health crisis
         risk to self
         overdoses
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
         """,
         topics="""
         self harm
         self-harm
         cutting
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
         """,
         topics="""
         missing episodes
         going missing
         being reported missing
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
         """,
         topics="""
         emotional abuse
         emotional harm
         being shouted at and belittled
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
         """,
         topics="""
         children being left alone
         lack of supervision
         being left at home on their own
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
         """,
         topics="""
         drug use by the young person
         cannabis use
         substance use
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
         """,
         topics="""
         gang involvement
         carrying weapons
         gang association
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
         """,
         topics="""
         homelessness
         housing issues
         eviction
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
         """,
         topics="""
         sexualised behaviour
         harmful sexual behaviour
         inappropriate sexual language
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
         """,
         topics="""
         attendance
         absence
         lateness
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
         """,
         topics="""
         missed appointments
         immunisations
         health checks
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
         """,
         topics="""
         cannabis
         drinking
         vaping
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
         """,
         topics="""
         offending
         anti-social behaviour
         shoplifting
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
         """,
         topics="""
         arguments at home
         the relationship with mum
         conflict at home
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
         """,
         topics="""
         caring responsibilities
         young carer
         looking after a parent
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
         """,
         topics="""
         housing conditions
         damp and mould
         overcrowding
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
         """,
         topics="""
         money worries
         financial hardship
         food poverty
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
         """,
         topics="""
         arguments between the parents
         shouting
         controlling behaviour
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
         """,
         topics="""
         domestic incidents
         incidents at home
         verbal arguments
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
         """,
         topics="""
         supervision
         being out unsupervised
         poor supervision
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
         """,
         topics="""
         separation conflict
         disputes over contact
         issues with child arrangements
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
         """,
         topics="""
         behaviour
         challenging behaviour
         aggression
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
         """,
         topics="""
         anxiety
         low mood
         emotional wellbeing
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
         """,
         topics="""
         police involvement
         police contact
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
         """,
         topics="""
         accidents
         minor injuries
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
         """,
         topics="""
         parenting advice
         parenting courses
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
         """,
         topics="""
         minor worries
         falling outs with friends
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
""")
#: The same modes wrapped round an indicator's own asserted clause, so that its exact
#: wording also turns up denied, in the past or in doubt.
NEGATED_CLAUSE_FRAMES: Final = _lines("""
it was alleged that {clause}, but this was looked into and is not true
a previous report said that {clause}; officers found this to be malicious and unfounded
the referrer first thought that {clause}, but this turned out to be a misunderstanding
there was an allegation that {clause}; on checking, this was about a different family
{rel} claimed that {clause}, {mum} strongly denies this and nothing was found to support it
""")
HISTORICAL_CLAUSE_FRAMES: Final = _lines("""
in {year} {clause}; the family worked with services and the case was closed
back in {year} {clause}, but there have been no concerns since
{mum} said that years ago, before moving here, {clause}
the file notes that in {year} {clause}, this was resolved at the time
previously (around {year}) {clause} - closed to CSC after a CIN plan
""")
HEDGED_CLAUSE_FRAMES: Final = _lines("""
it is possible that {clause}, but nobody has actually seen anything
there is a rumour that {clause}, nothing has been confirmed
staff are not sure, but they wonder if {clause}
{child} may have said that {clause} but then laughed and said {he} was joking
unverified: {clause}?
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
a follow-up visit has been booked for {when}
I made a written record straight after the conversation
the conversation was had in the presence of another member of staff
{mum} has asked to be kept updated
the family did not know why we were visiting
I am off tomorrow so please contact my colleague
the case was discussed at the weekly safeguarding meeting
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
    """),
    ),
    Voice(
        "probation",
        "other",
        0.3,
        _lines("""
    Probation officer for {partner_full} making a contact regarding children at {address_full}
    Probation service notification re {partner_full} and the children at {address_full}
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
    """),
    ),
    Voice(
        "out_of_area",
        "other",
        0.15,
        _lines("""
    Transfer of information from another local authority re {child_full}, DOB {dob}, now living at {address_full}
    Contact from {town2} children's services about {child_full}
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
