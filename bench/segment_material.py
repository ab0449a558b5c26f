"""Hand-written story material for bench/segment_set.py, so that the set's vocabulary is not only
1987 finance: short local, sports, weather, arts and science stories as web and local news print
them, headlines that share no word with any story (a headline need not repeat its story's words),
and sub-headings in sentence case (the confounder: a short line inside a story that is not a
headline). Written for this project; none of it is used by the tests' fixtures.
"""

from __future__ import annotations

# (headline, paragraphs): each paragraph one or two sentences of 15-40 words.
STORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Library extends opening hours over the winter", (
        "The central library will stay open until nine in the evening from next month, the town's cultural office said on Monday.",
        "Staff said students had asked for more quiet space to study during the exam season, and the reading rooms are often full by noon.",
        "The longer hours will be paid for from an unused maintenance fund and reviewed in the spring.",
    )),
    ("Hikers rescued after night on the mountain", (
        "Two hikers who lost their way in thick fog were found safe on Sunday morning after spending the night in a shepherd's hut below the ridge.",
        "Volunteers from the mountain rescue team reached them at first light and walked them down to the valley road.",
        "A team leader urged walkers to check the forecast and carry a torch, warm clothing and a charged phone.",
        "Both hikers were checked by paramedics and allowed to go home.",
    )),
    ("United hold on for narrow win", (
        "A late save from the goalkeeper kept United ahead as they beat the league leaders two goals to one in front of a sold-out crowd.",
        "The visitors pressed hard in the final ten minutes but could not find a way past a tired defence.",
        "The manager praised his players' spirit and said the result would give the squad confidence for the cup tie on Wednesday.",
    )),
    ("Primary school pupils plant a thousand trees", (
        "Children from four primary schools spent Friday planting saplings along the old railway line, which is being turned into a cycle path.",
        "Each class adopted a stretch of the path and will water the young trees through the summer.",
    )),
    ("Museum returns carved mask to its makers", (
        "A carved wooden mask that spent more than a century in a museum storeroom has been handed back to the community whose ancestors made it.",
        "Elders travelled across the ocean for a short ceremony, during which the mask was wrapped in cloth and blessed.",
        "The museum's director said the return was overdue and that talks about other objects were continuing.",
    )),
    ("Bus fares to stay frozen until next year", (
        "Passengers will not pay more for bus tickets before January, the regional transport authority announced after a meeting on Thursday.",
        "Officials said higher fuel costs would be covered by a grant, but warned that routes with few riders could be cut.",
        "Campaigners welcomed the freeze and asked for more evening services on the outer estates.",
    )),
    ("Scientists find new species of frog in cloud forest", (
        "Researchers surveying a remote cloud forest have described a tiny frog that had never been recorded before, no bigger than a fingernail.",
        "The frog calls with a high whistle that the team first mistook for an insect.",
        "They believe only a few hundred survive in a single valley and have asked for the area to be protected.",
    )),
    ("Heatwave brings record demand for electricity", (
        "Power use hit a record on Tuesday afternoon as temperatures passed forty degrees and offices ran air conditioning at full strength.",
        "The grid operator asked households to delay using washing machines and dishwashers until after eight in the evening.",
        "No power cuts were reported, though some trains ran slowly because of heat on the rails.",
    )),
    ("Jazz festival announces its biggest line-up yet", (
        "Organisers of the summer jazz festival have named more than sixty acts for this year's event, which returns to the harbour in July.",
        "Tickets go on sale next week, with cheaper passes for students and a free stage for young local bands.",
    )),
    ("Hospital opens new children's ward", (
        "A new ward for sick children opened at the general hospital on Wednesday, with twenty beds, a playroom and rooms where parents can stay overnight.",
        "Nurses helped choose the colours and furniture, and a local artist painted a forest scene along the main corridor.",
        "The hospital said waiting times for children's surgery should fall by a third.",
    )),
    ("Police appeal for witnesses after bridge crash", (
        "Police are asking anyone who saw a collision on the river bridge late on Saturday to come forward.",
        "A van and a car collided shortly before midnight, and both drivers were taken to hospital with injuries that are not thought to be serious.",
        "The bridge was closed for four hours while officers examined the scene.",
    )),
    ("Start-up raises funds for battery recycling plant", (
        "A young company that recovers metals from used batteries has raised enough money to build its first full-size plant, its founders said.",
        "The plant will process thousands of tonnes of batteries each year and employ about eighty people when it opens.",
        "Investors said demand for recycled lithium and cobalt was growing as more electric cars reach the end of their lives.",
    )),
    ("Farmers market moves to the town square", (
        "The weekly farmers market will move from the car park to the town square from the first Saturday of next month.",
        "Stallholders said the new site would bring more visitors, while nearby shops hope to share in the extra trade.",
        "Parking will be free for the first two hours on market days.",
    )),
    ("Teenager wins national chess title", (
        "A sixteen-year-old from the coast has become the youngest national chess champion in more than thirty years.",
        "She won the final game in under thirty moves after her older opponent made a mistake under time pressure.",
        "Her coach said she practised for three hours every day after school.",
    )),
)

# Headlines that share no content word with any story above or, as a rule, with a wire story.
HEADLINES: tuple[str, ...] = (
    "Melzer shocks Agassi", "A quiet revolution", "Winter comes early", "Not so fast", "Against the odds",
    "The long road home", "Old rivals meet again", "Hope on the horizon", "Back to square one", "Mixed signals",
    "Time to pay up", "Neighbours lose patience", "Second time lucky", "Doubts grow over plan",
    "Questions remain after vote", "Fans left waiting", "All change at the top", "A turning point",
    "Sunny outlook for growers", "No easy answers",
)

# Sub-headings printed inside a story above one of its paragraphs.
SUBHEADINGS: tuple[str, ...] = (
    "What happens next", "Why it matters", "The background", "How we got here", "Looking ahead",
    "Reaction", "A mixed picture", "What they said", "The numbers", "Next steps", "Concerns remain",
    "Assad's Stance", "Key Points", "In Brief",
)

# Long headlines (12-20 words, as web and local news print them) that share no content word with
# any story above or, as a rule, with a wire story: a headline can summarise, tease or quote.
LONG_HEADLINES: tuple[str, ...] = (
    "Why a small quarrel over parking spaces turned into a bitter argument about who owns the street",
    "The long wait is finally over for families who have spent years hoping for good news",
    "Nobody saw it coming, but one quiet decision may change everything for the people next door",
    "Everything you need to know before the new rules take effect at the start of the month",
    "\"It felt like the end of the world\": neighbours recall the night the lights went out",
    "Five things we learned from a week of surprises, setbacks and one very unexpected comeback",
    "Is this the beginning of a new era, or just another false dawn for a weary crowd?",
    "\"We simply ran out of time\": organisers admit mistakes as the weekend plans fall apart",
    "After months of silence, a familiar face returns with a message that few were expecting to hear",
    "What the experts got wrong about the summer, and why it matters for the months ahead",
    "A Town That Refused To Give Up: How Volunteers Kept The Doors Open Against All Odds",
    "From humble beginnings to the big stage, a remarkable journey that almost never happened at all",
    "Readers share their stories of kindness from strangers during a difficult and uncertain year",
    "\"Nobody listened until it was too late\": a warning ignored and the price paid for it",
    "The quiet heroes behind the scenes who make sure everything runs smoothly every single day",
    "Should we worry? Specialists weigh the risks as questions keep piling up on all sides",
)

# One-sentence paragraphs that close a thought inside a story (not headlines: they end a point).
CLOSING_LINES: tuple[str, ...] = (
    "The company declined to comment.", "Details were not disclosed.", "No date has been set.",
    "Talks are expected to resume next week.", "The matter is under review.", "A decision is expected soon.",
    "The figures were not audited.", "Further details will follow.", "Nobody was hurt.",
    "The cause is being investigated.", "Both sides said they hoped to reach a deal.",
    "Terms of the agreement were not released.", "Officials would not say more.", "That could change.",
    "Others were less sure.", "The vote is due in the spring.", "Prices were unchanged on the day.",
    "It was the third such case this year.", "The plan still needs approval.", "Work starts in the autumn.",
)

# Questions a writer puts to the reader inside a story, answered by the paragraph under them (not
# headlines: they ask about what the story has told so far).
BODY_QUESTIONS: tuple[str, ...] = (
    "What happens next?", "Will it work?", "Is it enough?", "Why now?", "Who pays?", "What went wrong?",
    "Is the deal at risk?", "How did it come to this?", "Why does it matter?", "Can the plan survive?",
    "What do the figures show?", "Is the worst over?", "Where does the money go?", "Who is affected?",
    "How big is the problem?", "What are the options?", "Does it add up?", "Is there a way out?",
    "What do critics say?", "How will it be paid for?", "Is the company in trouble?", "Will prices fall?",
    "Are the fears justified?", "What changed?", "Could it happen again?", "Is the market ready for it?",
)
# Short sentences that open the answer to a question asked in the body.
ANSWER_OPENINGS: tuple[str, ...] = (
    "Not yet.", "Probably not.", "It depends on whom you ask.", "Analysts are divided.", "The signs are mixed.",
    "Few think so.", "That is far from clear.", "In short, yes.", "Not everyone is convinced.", "Not quite.",
    "Opinions differ.", "The short answer is no.", "Officials insist it will.", "Almost certainly.",
)

# Headings printed over a table's rows (besides "Six months ended March 31" shapes built in code).
TABLE_HEADINGS: tuple[str, ...] = (
    "Figures in mln dlrs", "In thousands of tonnes", "Prices per tonne", "Results at a glance",
    "Shipments by destination", "Latest standings", "Main items", "Year to date", "Selected figures",
    "Change from a year ago", "Weekly totals", "Provisional figures",
)
