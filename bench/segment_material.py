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
