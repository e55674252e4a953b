"""Rewrites of real-looking news sentences: faithful ones verification keeps, changed ones it drops.

Data, not tests: ``test_paraphrases`` asserts each row's fate and ``bench/verification.py``
prints the table by kind. A changed row marked ``miss`` is a meaning change the offline check
honestly cannot catch (a synonym that flips the sense, a scope moved inside one clause…); the
test asserts it is still kept, so catching it one day (or losing a catch) shows up as a failure.
``context`` holds other sentences the model was shown with the cited one (names it could copy).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = (
    "negation",
    "number",
    "date",
    "role",
    "name",
    "hedge",
    "condition",
    "tense",
    "quantifier",
    "attribution",
    "scope",
    "opposite",
)


@dataclass(frozen=True, slots=True)
class Rewrite:
    """A claim written from one cited sentence, and whether it keeps that sentence's meaning."""

    kind: str
    source: str
    claim: str
    faithful: bool
    miss: bool = False
    context: tuple[str, ...] = ()


# -- cited sentences (from the seeds, or written to look like wire copy) --------------------------
BESSENT = "And Treasury Secretary Scott Bessent said Sunday that the deal was “not at present” being considered."
LETTER = (
    "In his joint address to Congress on Tuesday, Trump said he received a letter from Zelenskyy "
    "saying he was prepared to return to the negotiating table."
)
READY = "Zelenskyy said this week he is ready to sign the minerals deal “in any time and in any convenient format.”"
GUARANTEES = (
    "Additionally, Trump confirmed reporting by Worthy News that a rare earth minerals deal with Kyiv "
    "would not include specific U.S. security guarantees to Ukraine."
)
CEREMONY = (
    "Officials said the signing ceremony is due as early as Friday when Ukrainian President "
    "Volodymyr Zelenskyy visits Washington."
)
ISTANBUL = (
    "On Thursday, Russian and U.S. diplomats will meet in Istanbul, Turkey, to discuss improving "
    "diplomatic relations, officials announced."
)
TROOPS = (
    "Under one of the proposals, supported by Britain and France, some 30,000 European troops "
    "would be on the ground in Ukraine, away from the frontline."
)
DRONES = (
    "Russia said Tuesday that its air defenses shot down more than 150 Ukrainian drones overnight."
)
JETS = (
    "The United States has surged more than 50 fighter jets to the Middle East over the past 24 "
    "hours, according to open-source flight tracking data."
)
PAUSED = (
    "After the Oval Office meeting, the U.S. reportedly paused military aid to Ukraine until "
    "Zelenskyy did more to negotiate with Russia."
)
LAVROV = "Lavrov said the peacekeeping plans from London and Paris were a “deceit” to “pump Ukraine full of more weapons.”"
FUND = (
    "Public details are in short supply, but sources say the agreement will establish a joint fund "
    "between the U.S. and Ukraine that would receive revenues from mining rare earth metals."
)
INVADED = "The minerals deal could in part pay back the U.S. for aid it has sent to Ukraine since Russia invaded it three years ago."
CONSENT = (
    "“Trump said that a decision on the deployment of peacekeeping forces would only be possible "
    "with the consent of both sides,” Lavrov told media."
)
LEAVITT = (
    "White House press secretary Karoline Leavitt said Wednesday that the Trump administration is "
    "involved in “talks” to negotiate a mineral rights deal with Ukraine."
)
PUTIN = (
    "The U.S. president also revealed he wants to soon speak face-to-face with Russia’s President "
    "Vladimir Putin in hopes of ending the war."
)
DECLINED = (
    "The Republican declined to detail what more concessions he would ask the two sides to make."
)
RATES = (
    "The European Central Bank cut its deposit rate by a quarter point to 2.5% on Thursday, its "
    "sixth cut since June."
)
PORTS = (
    "Dock workers at all 36 ports on the East and Gulf coasts walked off the job on Tuesday after "
    "talks with the shipping alliance broke down."
)
JUDGE = (
    "A federal judge in Boston on Friday temporarily blocked the administration from cutting "
    "research funding to universities."
)
STORM = "The storm is expected to make landfall on Wednesday evening near Tampa, forecasters said."
MERGER = (
    "Shareholders of both companies approved the merger, which is worth $8.5 billion, at meetings "
    "held on Monday."
)
RECALL = (
    "The carmaker said it would recall about 120,000 vehicles in the United States because of a "
    "faulty brake sensor, but no injuries have been reported."
)
POLLS = (
    "Polls close at 8 p.m., and officials said the results are unlikely to be known before "
    "Thursday unless the race is lopsided."
)
UNION = "The union said its members would return to work if the company restored the pension plan."
BORDER = "The ministry denied that troops had crossed the border."
TREATY = "Several of the 27 member states have said they would not ratify the treaty before the election."
EARLY = "He confirmed that discussions with the Trump administration had begun, but they were still at an early stage."
SURPRISE = "The change even caught U.S. senators by surprise."
ONGOING = (
    "Trump, who has previously claimed he would quickly end the war, stated that discussions "
    "were ongoing to find a resolution to the conflict."
)
SUMMIT = "Macron hosted Scholz and Sunak at the Élysée Palace on Monday to discuss aid to Ukraine."


def changed(
    kind: str, source: str, claim: str, *, miss: bool = False, context: tuple[str, ...] = ()
) -> Rewrite:
    """A rewrite that says something its source does not (``miss``: kept all the same)."""
    return Rewrite(kind, source, claim, False, miss, context)


def same(kind: str, source: str, claim: str, *, context: tuple[str, ...] = ()) -> Rewrite:
    """A rewrite that keeps its source's meaning in other words."""
    return Rewrite(kind, source, claim, True, context=context)


CHANGED: tuple[Rewrite, ...] = (
    # negation: flipped, doubled (by parity), or moved onto another word
    changed(
        "negation",
        BESSENT,
        "Bessent said Sunday that the deal was not “not at present” being considered.",
    ),
    changed(
        "negation", BESSENT, "Bessent said Sunday that the deal was being considered at present."
    ),
    changed(
        "negation",
        GUARANTEES,
        "Trump confirmed that the minerals deal with Kyiv would include specific U.S. security guarantees to Ukraine.",
    ),
    changed("negation", BORDER, "The ministry confirmed that troops had crossed the border."),
    changed(
        "negation",
        DECLINED,
        "The Republican detailed what more concessions he would ask the two sides to make.",
    ),
    changed(
        "negation",
        RECALL,
        "The carmaker said it would recall about 120,000 vehicles in the United States over a faulty brake sensor, and injuries have been reported.",
    ),
    changed(
        "negation",
        JUDGE,
        "A federal judge in Boston on Friday did not block the administration from cutting research funding to universities.",
    ),
    changed(
        "negation",
        TREATY,
        "Several of the 27 member states have said they would never fail to ratify the treaty before the election.",
    ),
    # number: value, scale, comparison, ordinal, unit
    changed(
        "number",
        DRONES,
        "Russia said Tuesday that its air defenses shot down more than 15 Ukrainian drones overnight.",
    ),
    changed(
        "number",
        MERGER,
        "Shareholders of both companies approved the $8.5 million merger at meetings on Monday.",
    ),
    changed(
        "number",
        PORTS,
        "Dock workers at all 63 ports on the East and Gulf coasts walked off the job on Tuesday.",
    ),
    changed(
        "number",
        JETS,
        "The United States has surged fewer than 50 fighter jets to the Middle East over the past 24 hours, according to flight tracking data.",
    ),
    changed(
        "number",
        RATES,
        "The European Central Bank cut its deposit rate by a quarter point to 2.5% on Thursday, its seventh cut since June.",
    ),
    changed(
        "number",
        INVADED,
        "The minerals deal could in part pay back the U.S. for aid sent to Ukraine since Russia invaded it three months ago.",
    ),
    # date: weekday, relative week, time of day
    changed(
        "date",
        STORM,
        "The storm is expected to make landfall on Thursday evening near Tampa, forecasters said.",
    ),
    changed(
        "date",
        CEREMONY,
        "Officials said the signing ceremony is due as early as Monday when Zelenskyy visits Washington.",
    ),
    changed(
        "date",
        READY,
        "Zelenskyy said last week he is ready to sign the minerals deal in any convenient format.",
    ),
    changed(
        "date",
        STORM,
        "The storm is expected to make landfall on Wednesday morning near Tampa, forecasters said.",
    ),
    # role: who did what to whom
    changed(
        "role",
        LETTER,
        "In his address to Congress on Tuesday, Zelenskyy said he received a letter from Trump saying he was prepared to return to the negotiating table.",
    ),
    changed(
        "role",
        INVADED,
        "The minerals deal could in part pay back the U.S. for aid it has sent to Ukraine since Ukraine invaded Russia three years ago.",
    ),
    changed(
        "role",
        PAUSED,
        "After the Oval Office meeting, Ukraine reportedly paused military aid to the U.S. until Zelenskyy did more to negotiate with Russia.",
    ),
    changed(
        "role",
        SUMMIT,
        "Scholz hosted Macron and Sunak at the Élysée Palace on Monday to discuss aid to Ukraine.",
    ),
    changed(
        "role",
        JUDGE,
        "A federal judge in Boston on Friday temporarily blocked universities from cutting research funding to the administration.",
        miss=True,
    ),
    # name: another person or place, in any case
    changed(
        "name",
        LETTER,
        "Trump said he received a letter from putin saying he was prepared to return to the negotiating table.",
        context=(PUTIN,),
    ),
    changed(
        "name",
        LETTER,
        "Trump said he received a letter from rubio saying he was prepared to return to the negotiating table.",
    ),
    changed(
        "name",
        JUDGE,
        "A federal judge in denver on Friday temporarily blocked the administration from cutting research funding to universities.",
        miss=True,
    ),
    changed(
        "name",
        LEAVITT,
        "White House press secretary Karoline Leavitt said Wednesday that the Biden administration is involved in talks to negotiate a mineral rights deal with Ukraine.",
    ),
    changed(
        "name",
        LAVROV,
        "Lavrov said the peacekeeping plans from London and Berlin were a “deceit” to “pump Ukraine full of more weapons.”",
    ),
    changed(
        "name",
        JUDGE,
        "A federal judge in chicago on Friday temporarily blocked the administration from cutting research funding to universities.",
        context=("Protests spread from Boston to Chicago on Saturday.",),
    ),
    # hedge: what the source calls possible, stated as fact
    changed(
        "hedge",
        STORM,
        "The storm will make landfall on Wednesday evening near Tampa, forecasters said.",
    ),
    changed(
        "hedge",
        PAUSED,
        "After the Oval Office meeting, the U.S. paused military aid to Ukraine until Zelenskyy did more to negotiate with Russia.",
    ),
    changed(
        "hedge",
        INVADED,
        "The minerals deal will pay back the U.S. for aid it has sent to Ukraine since Russia invaded it three years ago.",
    ),
    changed(
        "hedge",
        POLLS,
        "Officials said the results will not be known before Thursday unless the race is lopsided.",
    ),
    # condition: added, or dropped from the words it governs
    changed(
        "condition",
        READY,
        "Zelenskyy said this week he is ready to sign the minerals deal unless the format is inconvenient.",
    ),
    changed("condition", UNION, "The union said its members would return to work."),
    changed(
        "condition", POLLS, "Officials said the results are unlikely to be known before Thursday."
    ),
    changed(
        "condition",
        MERGER,
        "Shareholders of both companies approved the $8.5 billion merger on Monday, provided that regulators agree.",
    ),
    # tense and modality: what will happen reported as done, or the reverse
    changed(
        "tense",
        ISTANBUL,
        "Russian and U.S. diplomats met in Istanbul, Turkey, on Thursday to discuss improving diplomatic relations, officials announced.",
    ),
    changed(
        "tense",
        FUND,
        "Sources say the agreement established a joint fund between the U.S. and Ukraine that receives revenues from mining rare earth metals.",
    ),
    changed(
        "tense",
        MERGER,
        "Shareholders of both companies will approve the $8.5 billion merger at meetings on Monday.",
    ),
    changed(
        "tense",
        RECALL,
        "The carmaker has recalled about 120,000 vehicles in the United States because of a faulty brake sensor.",
    ),
    # quantifier: all, some, most, only
    changed(
        "quantifier",
        PORTS,
        "Dock workers at some of the 36 ports on the East and Gulf coasts walked off the job on Tuesday.",
    ),
    changed(
        "quantifier",
        TREATY,
        "All of the 27 member states have said they would not ratify the treaty before the election.",
    ),
    changed(
        "quantifier",
        MERGER,
        "Shareholders of only one company approved the merger, worth $8.5 billion, on Monday.",
    ),
    changed(
        "quantifier",
        TROOPS,
        "Under one of the proposals, most European troops would be on the ground in Ukraine, away from the frontline.",
    ),
    # attribution: someone else said it
    changed(
        "attribution",
        CEREMONY,
        "Zelenskyy said the signing ceremony is due as early as Friday when he visits Washington.",
    ),
    changed(
        "attribution",
        CONSENT,
        "Lavrov said that a decision on the deployment of peacekeeping forces would only be possible with the consent of both sides.",
    ),
    changed(
        "attribution",
        DRONES,
        "Ukraine said Tuesday that its air defenses shot down more than 150 Russian drones overnight.",
    ),
    changed(
        "attribution",
        LAVROV,
        "Paris said the peacekeeping plans from London were a “deceit” to “pump Ukraine full of more weapons.”",
    ),
    changed(
        "attribution",
        POLLS,
        "Polls close at 8 p.m., and pollsters said the results are unlikely to be known before Thursday unless the race is lopsided.",
    ),
    changed(
        "attribution",
        JETS,
        "The United States has surged more than 50 fighter jets to the Middle East over the past 24 hours, according to officials.",
    ),
    # scope: a negation or an "only" moved or dropped, a qualifier added
    changed(
        "scope",
        TREATY,
        "Several of the 27 member states have not said they would ratify the treaty before the election.",
    ),
    changed(
        "scope",
        TREATY,
        "Several of the 27 member states have said they would ratify the treaty, but not before the election.",
    ),
    changed(
        "scope",
        CONSENT,
        "Trump said a decision on the deployment of peacekeeping forces would be possible with the consent of both sides, Lavrov told media.",
    ),
    changed(
        "scope",
        DRONES,
        "Russia said Tuesday that its air defenses shot down a record of more than 150 Ukrainian drones overnight.",
        miss=True,
    ),
    # opposite: one word swapped for its opposite, every other word kept
    changed(
        "opposite",
        JUDGE,
        "A federal judge in Boston on Friday permanently blocked the administration from cutting research funding to universities.",
    ),
    changed(
        "opposite",
        PORTS,
        "Dock workers at all 36 ports on the East and Gulf coasts walked off the job on Tuesday before talks with the shipping alliance broke down.",
    ),
    changed(
        "opposite",
        RATES,
        "The European Central Bank raised its deposit rate by a quarter point to 2.5% on Thursday.",
    ),
    changed(
        "opposite",
        EARLY,
        "He confirmed that discussions with the Trump administration had begun and were at an advanced stage.",
        miss=True,
    ),
    changed("opposite", SURPRISE, "The change was expected by U.S. senators.", miss=True),
    changed(
        "opposite",
        LAVROV,
        "Lavrov said the peacekeeping plans from London and Paris were sincere.",
        miss=True,
    ),
)

FAITHFUL: tuple[Rewrite, ...] = (
    # negation kept in other words
    same(
        "negation",
        BESSENT,
        "Bessent said on Sunday that the deal was not being considered at present.",
    ),
    same(
        "negation",
        GUARANTEES,
        "Trump confirmed the minerals deal with Kyiv would not include U.S. security guarantees for Ukraine.",
    ),
    same("negation", BORDER, "The ministry denied that its troops had crossed the border."),
    same(
        "negation",
        RECALL,
        "No injuries have been reported, the carmaker said as it announced it would recall about 120,000 vehicles.",
    ),
    same(
        "negation",
        DECLINED,
        "The Republican declined to say what further concessions he would ask of the two sides.",
    ),
    # number written differently
    same(
        "number",
        MERGER,
        "Shareholders of both companies approved the $8.5bn merger at meetings on Monday.",
    ),
    same(
        "number",
        DRONES,
        "Russia said Tuesday its air defenses downed more than 150 Ukrainian drones overnight.",
    ),
    same(
        "number",
        TROOPS,
        "Under one proposal backed by Britain and France, some 30,000 European troops would be on the ground in Ukraine.",
    ),
    same(
        "number",
        INVADED,
        "The deal could partly repay the U.S. for aid sent to Ukraine since Russia invaded it 3 years ago.",
    ),
    same(
        "number",
        RATES,
        "On Thursday the European Central Bank cut its deposit rate by a quarter point to 2.5%, its sixth cut since June.",
    ),
    # date kept, moved in the sentence
    same(
        "date",
        STORM,
        "Forecasters said the storm is expected to make landfall near Tampa on Wednesday evening.",
    ),
    same(
        "date",
        CEREMONY,
        "The signing ceremony is due as early as Friday, when Zelenskyy visits Washington, officials said.",
    ),
    same(
        "date",
        READY,
        "This week Zelenskyy said he is ready to sign the minerals deal “in any convenient format.”",
    ),
    same(
        "date",
        PORTS,
        "On Tuesday dock workers at all 36 ports on the East and Gulf coasts walked off the job after talks broke down.",
    ),
    # roles kept: reordered, passive voice
    same(
        "role",
        LETTER,
        "Trump said he had received a letter from Zelenskyy saying he was prepared to return to the negotiating table.",
    ),
    same(
        "role",
        LETTER,
        "A letter from Zelenskyy saying he was prepared to return to negotiations was received by Trump, he told Congress on Tuesday.",
    ),
    same(
        "role",
        INVADED,
        "The deal could in part pay back the U.S. for the aid it has sent since Russia invaded Ukraine three years ago.",
    ),
    same(
        "role",
        SUMMIT,
        "Scholz and Sunak were hosted by Macron at the Élysée Palace on Monday to discuss aid to Ukraine.",
    ),
    same(
        "role",
        PAUSED,
        "The U.S. reportedly paused military aid to Ukraine after the Oval Office meeting, until Zelenskyy did more to negotiate with Russia.",
    ),
    # names shortened, or written in another case
    same(
        "name",
        BESSENT,
        "Scott Bessent, the Treasury Secretary, said Sunday the deal was “not at present” being considered.",
    ),
    same(
        "name",
        LEAVITT,
        "Press secretary Karoline Leavitt said Wednesday the Trump administration is involved in talks on a mineral rights deal with Ukraine.",
    ),
    same(
        "name",
        LETTER,
        "Trump said he received a letter from zelenskyy saying he was prepared to return to the negotiating table.",
        context=(PUTIN,),
    ),
    same(
        "name",
        JUDGE,
        "A federal judge in Boston temporarily blocked the administration on Friday from cutting universities' research funding.",
        context=("Protests spread from Boston to Chicago on Saturday.",),
    ),
    # hedges kept or added
    same(
        "hedge",
        PAUSED,
        "After the Oval Office meeting the U.S. reportedly paused its military aid to Ukraine.",
    ),
    same(
        "hedge",
        STORM,
        "Forecasters said the storm could make landfall near Tampa on Wednesday evening.",
    ),
    same(
        "hedge",
        INVADED,
        "The minerals deal could partly pay back the U.S. for aid it has sent to Ukraine.",
    ),
    same(
        "hedge",
        POLLS,
        "Officials said the results are unlikely to be known before Thursday unless the race is lopsided.",
    ),
    # conditions kept
    same(
        "condition",
        UNION,
        "The union said its members would return to work if the company restored their pension plan.",
    ),
    same(
        "condition",
        UNION,
        "If the company restored the pension plan, its members would return to work, the union said.",
    ),
    same("condition", POLLS, "Polls close at 8 p.m., officials said."),
    same(
        "condition",
        CONSENT,
        "Lavrov told media that Trump said a decision on deploying peacekeeping forces would only be possible with the consent of both sides.",
    ),
    # tense and modality kept
    same(
        "tense",
        ISTANBUL,
        "Officials announced that Russian and U.S. diplomats will meet in Istanbul on Thursday to discuss improving diplomatic relations.",
    ),
    same(
        "tense",
        FUND,
        "Sources say the agreement will establish a joint U.S.-Ukraine fund that would receive revenues from mining rare earth metals.",
    ),
    same(
        "tense",
        MERGER,
        "Shareholders of both companies have approved the $8.5 billion merger at meetings held on Monday.",
    ),
    same(
        "tense",
        RECALL,
        "The carmaker said it would recall about 120,000 vehicles in the United States because of a faulty brake sensor.",
    ),
    # quantifiers kept
    same(
        "quantifier",
        PORTS,
        "Dock workers at every one of the 36 ports on the East and Gulf coasts walked off the job on Tuesday.",
    ),
    same(
        "quantifier",
        TREATY,
        "Several of the 27 member states said they would not ratify the treaty before the election.",
    ),
    same(
        "quantifier",
        MERGER,
        "Shareholders of both companies approved the $8.5 billion merger on Monday.",
    ),
    same(
        "quantifier",
        TROOPS,
        "Some 30,000 European troops would be on the ground in Ukraine, away from the frontline, under one of the proposals.",
    ),
    # attribution kept
    same(
        "attribution",
        CEREMONY,
        "The signing ceremony is due as early as Friday, when Ukrainian President Volodymyr Zelenskyy visits Washington, officials said.",
    ),
    same(
        "attribution",
        LAVROV,
        "The peacekeeping plans from London and Paris were a “deceit” to “pump Ukraine full of more weapons,” Lavrov said.",
        context=(PUTIN,),
    ),
    same(
        "attribution",
        DRONES,
        "Russia said its air defenses shot down more than 150 Ukrainian drones overnight on Tuesday.",
    ),
    same(
        "attribution",
        LEAVITT,
        "The Trump administration is involved in “talks” to negotiate a mineral rights deal with Ukraine, Leavitt said Wednesday.",
    ),
    same(
        "attribution",
        ONGOING,
        "Trump stated that discussions were ongoing to find a resolution to the conflict.",
    ),
    same(
        "attribution",
        JETS,
        "According to open-source flight tracking data, the United States has surged more than 50 fighter jets to the Middle East over the past 24 hours.",
    ),
    # scope: a part of the sentence left out, the rest unchanged
    same(
        "scope",
        TREATY,
        "Several member states have said they would not ratify the treaty before the election.",
    ),
    same(
        "scope",
        JUDGE,
        "A federal judge in Boston temporarily blocked the administration from cutting research funding to universities.",
    ),
    same(
        "scope",
        FUND,
        "The agreement will establish a joint fund between the U.S. and Ukraine, sources say.",
    ),
    same(
        "scope",
        CONSENT,
        "Lavrov said Trump had called a decision on deploying peacekeeping forces possible only with the consent of both sides.",
    ),
    # opposite: words that have opposites, kept
    same(
        "opposite",
        RATES,
        "The European Central Bank lowered its deposit rate by a quarter point to 2.5% on Thursday.",
    ),
    same(
        "opposite",
        PORTS,
        "Dock workers walked off the job at all 36 ports on the East and Gulf coasts on Tuesday, after talks broke down.",
    ),
    same(
        "opposite",
        JUDGE,
        "On Friday a federal judge in Boston temporarily stopped the administration from cutting universities' research funding.",
    ),
)

REWRITES: tuple[Rewrite, ...] = CHANGED + FAITHFUL
