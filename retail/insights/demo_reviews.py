"""Demo product reviews with aspect labels: generated once, deterministic, shipped as ``data/demo/reviews.jsonl.gz``.

    python -m retail.insights.demo_reviews          # rewrites the file (same seed, same bytes)

The reviewers are the demo shoppers of ``data/demo/events.jsonl.gz``. Most
review what they viewed, clicked or bought (after they did), the rest products
of a type or category they shopped; the log's 491 ``review`` events are the
first reviews, with their rating and time. Every review carries its overall
``sentiment`` and the ``aspects`` it talks about (taxonomy:
``retail.insights.aspects.ASPECTS``), each with a polarity and the span of
text that expresses it.

What a review says is drawn, not written to a formula:

* every product has a latent quality per aspect that applies to it (a table
  by product family: no battery for a sofa, no fit for olive oil), drawn once
  with heavy tails, so a few products are clearly bad (or great) at something
  and per-product aspect summaries mean something; reviews mention 0-4
  aspects, preferring the ones a product is notably good or bad at;
* an aspect's polarity is the product's quality plus the reviewer's mood and
  noise; the rating follows the polarities plus noise (marketplace shares:
  5: 40%, 4: 22%, 3: 12%, 2: 10%, 1: 16%); the sentiment is what the text
  says (mixed reviews of 3 stars are neutral);
* shoppers have traits drawn once (price-conscious, gift buyer, sporty,
  parent, terse, verbose, emoji, sloppy) that show in what and how they write;
* ``TRENDS``: three popular products whose complaints on one aspect jump in
  the last ``TREND_DAYS`` days (a bad batch), for the insight job's alerts.

The text is composed from large phrase banks per aspect and polarity (generic
ones, plus ones per product family with the product's own nouns, colour,
brand, body part and uses), in plain, negated ("doesn't feel cheap"),
comparative ("warmer than my old one"), implicit ("had to size up twice") and
sarcastic ("Oh great, the strap snapped on day two") forms, joined with the
contrast words ``split_clauses`` cuts at, between openers, context with no
opinion, overall verdicts and closers, with typos, lower case and emoji now
and then. The review model trains on these labels and is evaluated on reviews
written by hand, independently (``data/reviews_heldout/``, never read here).
"""

from __future__ import annotations

import gzip
import json
import math
import random
import re
from collections import Counter, defaultdict
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from retail.insights.aspects import ASPECTS
from retail.paths import DEMO_CATALOG, DEMO_EVENTS, DEMO_REVIEWS

SEED = 20261126
N_REVIEWS = 6000
START = datetime(2026, 9, 28, tzinfo=timezone.utc).timestamp()
END = datetime(2026, 11, 23, tzinfo=timezone.utc).timestamp()
DAY = 86400.0
TREND_DAYS = 7
RATING_SHARES = {5: 0.40, 4: 0.22, 3: 0.12, 2: 0.10, 1: 0.16}
POLARITY_NAMES = ("positive", "negative", "neutral")
SENTIMENTS = ("positive", "neutral", "negative")
# Planted in the shipped file: (product_id, aspect) whose complaints jump in the last TREND_DAYS days.
# ``planted_trends(catalog, events)`` recomputes them (the most-shopped product of each kind in the event log).
TRENDS = (("P01817", "battery"), ("P00134", "durability"), ("P02159", "fit"))

# ---------------------------------------------------------------------------------------------------------------
# Phrase banks. One template a line: "+" positive, "-" negative, "=" neutral, then optionally a form:
# "n:" negation, "c:" comparison, "i:" implicit (no aspect word), "s:" sarcasm. Slots in braces are filled per
# review: grammar that agrees with the product's noun ({it} it/they, {is} is/are, {s} runs/run, {this} this/these,
# {obj} it/them, {its}, {itis} it's/they're, {has}, {does}, {doesnt}, {isnt}, {was}, {wasnt}, {es}), the product
# ({noun}, {one}, {old_one}, {rival}, {brand}, {color}, {material}, {flavor}, {scent}, {price}), its family
# ({body}, {part}, {use}, {verbing}, {device}, {room}) and the moment ({very}, {period}, {short}, {sarc}, {person},
# {kid}, {pet}, {num}, {good_span}, {bad_span}). A template whose slot the product lacks is not used for it.
# ---------------------------------------------------------------------------------------------------------------

GENERIC = {
    "comfort": """
+ {itis} {very}comfortable
+ so comfy
+ comfort is top notch
+ {it} {is} {very}comfortable for hours at a time
+ genuinely comfortable, which I can't say about most things I own
+ comfort-wise I have zero complaints
+ comfy from the very first day
+ surprisingly comfortable
+ {itis} ridiculously comfy
+ comfort is the standout here
+ really nice and comfortable {use}
+ the most comfortable {noun} I've owned
+ easily the comfiest {noun} in the house
+ i: I forget I'm even {verbing}
+ i: could spend all day {verbing}
+ n: not uncomfortable in the slightest
+ n: never once felt uncomfortable {verbing}
+ n: zero discomfort, even after a long day
+ c: more comfortable than {old_one}
+ c: way comfier than the {rival} {noun} I had before
- not comfortable
- {itis} {very}uncomfortable
- comfort is a big letdown
- uncomfortable after about an hour
- honestly pretty uncomfortable
- comfort just isn't there
- the least comfortable {noun} I've ever owned
- {it} {is} so uncomfortable that I dread {verbing}
- i: I can't stand {verbing} for more than twenty minutes
- i: I give up on {obj} after half an hour every time
- n: not comfortable at all
- n: definitely not what I'd call comfy
- n: there's nothing comfortable about {obj}
- c: nowhere near as comfortable as {old_one}
- c: less comfortable than the cheap {noun} I replaced
- s: Oh sure, {itis} comfortable... for about ten minutes. {sarc}
- s: Super comfy if you enjoy being in pain. {sarc}
= comfort is okay, nothing special
= reasonably comfortable
= comfy enough I guess
= comfort is fine for short stretches
= not the comfiest, not the worst either
= comfort took some getting used to
= about as comfortable as you'd expect
+ comfortable enough to forget about
+ all-day comfort, no question
+ a genuinely comfy {noun}
- s: So comfortable I only winced a little. {sarc}
- comfort is nowhere near what I hoped
- honestly a pain to use for any length of time
= comfortable in short bursts
+ c: more comfortable than anything else I own
+ c: comfier than the expensive ones I've tried
- c: less comfortable than every other {noun} I've had
= comfortable, but not as comfy as I hoped
= okay for comfort
""",
    "fit": """
+ fits perfectly
+ true to size
+ the fit is spot on
+ fits like a glove
+ exactly the size I expected
+ the sizing chart was accurate
+ perfect fit for me
+ the size is just right
+ sizing is bang on
+ i: ordered my usual size and it was perfect
+ n: no need to size up or down
+ n: didn't have to exchange for another size
+ n: no issues with the sizing at all
- doesn't fit
- sizing is way off
- the fit is all wrong
- the size chart is useless
- completely the wrong size despite following the chart
- n: not true to size at all
- n: nothing about the sizing matches the listing
- i: went back for a different size and that one was off too
= fits okay
= the fit is alright, a little off
= sizing is slightly inconsistent
= fits, more or less
+ the measurements in the listing are accurate
+ sized exactly as described
+ i: fit right the first time, which never happens for me
- s: Love a size chart that's pure fiction. {sarc}
- s: Fantastic sizing, if you're a completely different size than the one you ordered. {sarc}
- sizing runs way off from the chart
- i: none of the sizes I tried were right
= sizing is a little unpredictable
+ c: fits better than the {rival} one I tried
+ c: a better fit than anything else I've ordered online
+ c: fits much nicer than {old_one}
+ n: nothing too tight, nothing too loose
- c: a size smaller than the {rival} equivalent
- c: fits nothing like {old_one} in the same size
- n: doesn't fit the way the size guide says
= fit is fine, sizing is a bit odd
= fits okay once adjusted
= a touch big, but it works
""",
    "durability": """
+ feels {very}well made
+ solid build quality
+ sturdy and built to last
+ still going strong after {period}
+ holding up really well after {period} of daily use
+ the build quality is excellent
+ this thing is a tank
+ well constructed, nothing flimsy about {obj}
+ quality construction throughout
+ {itis} clearly made to last
+ has taken a beating and still looks new
+ rock solid
+ i: survived {period} of daily abuse without a scratch
+ i: still looks brand new after {period}
+ n: doesn't feel cheap at all
+ n: no signs of wear after {period}
+ n: hasn't broken yet, and I'm not gentle
+ n: not a single thing has come loose
+ c: far sturdier than {old_one}
+ c: built much better than the {rival} {noun} I had
- fell apart after {short}
- flimsy and cheaply made
- broke within {short}
- the {part} broke after {period}
- build quality is poor
- feels like {it}'ll break any minute
- cheap materials, and it shows
- the {part} came loose after {short}
- quality control is nonexistent
- started falling apart almost immediately
- the {part} cracked after {period}
- i: already in the bin after {period}
- i: lasted exactly {period}
- i: on my second replacement in {period}
- n: wouldn't call {obj} sturdy
- n: not built to last
- n: didn't survive {period}
- n: not the quality I expected from {brand}
- s: Oh great, the {part} snapped on day two. {sarc}
- s: Amazing quality, the {part} lasted all of {short}. {sarc}
- s: Built to last... about {short}. {sarc}
- c: feels flimsier than {old_one}
- c: {old_one} lasted years, {this} barely lasted {period}
= build quality is okay
= feels a bit light but has held up so far
= too early to say how {it}'ll hold up
= decent build, a few rough edges
= sturdy enough for occasional use
= the {part} feels a little loose, otherwise fine
+ seems like {it}'ll last for years
+ good solid construction
+ the materials feel premium
+ no wear and tear so far
+ tough and well finished
+ quality is better than I expected
+ i: still going after {period} of being thrown around
+ n: not a single loose thread or wobble
+ n: never had a problem with {obj} breaking
- poorly made
- fell to bits after {period}
- quality is shockingly bad
- the {part} is already coming apart
- falling apart at the seams, literally
- s: Built like a tank, a paper tank. {sarc}
- s: Really durable, as long as you never touch {obj}. {sarc}
= quality is average
= holding up, but I wouldn't call {obj} heavy duty
+ c: seems a lot tougher than {old_one}
+ c: better made than the {rival} version
+ c: outlasting everything else I've owned
- c: broke faster than {old_one}
- c: flimsier than the {rival} one I had before
- c: less sturdy than the cheap one I replaced
= seems durable enough so far
= holding up, time will tell
""",
    "battery": """
+ battery life is {very}impressive
+ easily lasts {good_span} on a charge
+ the battery lasts all day
+ charges super fast
+ battery life is great
+ holds a charge really well
+ the battery is a beast
+ battery lasts way longer than advertised
+ quick to charge, slow to drain
+ one charge gets me {good_span}
+ i: I only charge {obj} once a week
+ i: still at 40% at the end of a long day
+ i: plugged {obj} in for twenty minutes and got a full day out of {obj}
+ n: never had an issue with the battery
+ n: battery never runs out on me
+ n: haven't had to charge {obj} in days
+ n: no battery anxiety at all
+ c: the battery lasts way longer than {old_one}
+ c: double the battery life of the {rival} one I had
- battery life is awful
- the battery barely lasts {bad_span}
- battery drains way too fast
- won't hold a charge anymore
- takes forever to charge
- the battery is a joke
- battery life dropped off a cliff after {period}
- charging is painfully slow
- i: dead by lunchtime every day
- i: I'm charging {obj} twice a day
- i: dies halfway through {use}
- i: needs to live on the charger
- n: doesn't hold a charge
- n: nowhere near the advertised battery life
- n: can't get through a single day on one charge
- s: Wow, a whole {bad_span} of battery. {sarc}
- s: Love charging {obj} three times a day, really adds some excitement. {sarc}
- c: the battery dies much faster than {old_one}
- c: half the battery life of the {rival} one I replaced
= battery life is okay, about what they claim
= gets me through the day, just barely
= charging is a bit slow but battery life is fine
= battery is average for {this} kind of thing
= the battery is fine, nothing to write home about
+ the battery is excellent
+ charges up quickly and lasts
+ battery performance has been superb
- the battery is awful
- the battery dies at the worst moments
- s: Incredible battery life, lasts almost until I unplug {obj}. {sarc}
= battery is acceptable
+ c: outlasts every other gadget I own on battery
- c: runs out of battery faster than anything else I own
= battery is okay, not great
""",
    "performance": """
+ works exactly as advertised
+ does {its} job perfectly
+ performs {very}well
+ works like a charm
+ does exactly what I need {use}
+ works flawlessly
+ performance is excellent
+ does what it says on the tin
+ really effective
+ n: no complaints about how {it} perform{s}
+ n: never let me down so far
- doesn't work well
- performance is disappointing
- barely does what it claims
- works maybe half the time
- performance is honestly terrible
- n: doesn't do what it says
- n: not effective at all
- n: never worked properly
- s: Works great, if by great you mean not at all. {sarc}
= works fine, nothing special
= performance is average
= works okay most of the time
= gets the job done
+ does everything I wanted {obj} to
+ works brilliantly
+ really good at what {it} {does}
+ performs beautifully {use}
+ gets the job done really well
+ the performance is impressive
+ honestly works better than expected
+ i: has made my routine so much easier
+ n: never failed me
+ c: works better than {old_one}
- works poorly
- doesn't perform like {it} should
- really disappointing performance
- struggles with the basics
- falls short of what {it} promise{s}
- i: I went back to using {old_one}
- n: never did what I bought {obj} for
- c: worse than {old_one} in every way
- s: Performs brilliantly, assuming you wanted {obj} to do nothing. {sarc}
- s: Oh wonderful, another thing that doesn't work. {sarc}
- s: Great, just great, {it} stopped doing {its} one job. {sarc}
- s: What a performance, if you like disappointment. {sarc}
= performs okay
= does the basics fine
= average performance for {this} kind of thing
+ i: solved the exact problem I bought {obj} for
+ i: I use {obj} every single day now
+ i: haven't had to think twice about {obj} since day one
- i: ended up doing it the old way again
- i: back to square one after {period}
+ c: outperforms {old_one} easily
+ c: does a much better job than the {rival} one
+ c: more effective than anything else I've tried
+ c: a real upgrade over {old_one}
- c: does a worse job than {old_one}
- c: not as good as the {rival} one at all
- c: less effective than the cheap version I had
- c: my {rival} one did this far better
= works about as well as {old_one}
= works as expected, no more
= performance is just okay
""",
    "appearance": """
+ looks {very}nice
+ the {color} is gorgeous
+ love the {color} colour
+ looks even better in person
+ sleek design
+ looks exactly like the photos
+ stylish and modern
+ the {color} colour is even prettier than the pictures
+ beautiful design
+ the {color} looks really classy
+ {itis} {very}attractive
+ love the look of {obj}
+ looks way more expensive than it is
+ the finish is lovely
+ i: got so many compliments on {obj}
+ i: my friends keep asking where I got {obj}
+ i: everyone who comes over asks about {obj}
+ n: doesn't look cheap at all
+ n: looks nothing like a budget {noun}
+ c: nicer looking than {old_one}
+ c: prettier than the {rival} version
- looks cheap
- the colour is way off from the pictures
- the {color} looks washed out in person
- doesn't look like the photos at all
- ugly in person
- the finish looks tacky
- the {color} is a totally different shade than pictured
- the design is dated
- looks plasticky
- the logo is huge and tacky
- i: looks like something from a dollar store
- i: my husband asked if it was a knockoff
- n: not as pretty as the photos
- n: doesn't look anything like the listing
- s: Love how the "{color}" turned out to be a completely different colour. {sarc}
- c: looks cheaper than {old_one}
= looks fine
= looks okay, a bit plain
= the {color} is a touch darker than pictured
= the design is simple, nothing fancy
= not the prettiest, but it's fine
+ the colour is beautiful
+ it looks stunning
+ looks great {use}
+ really sharp looking
+ the design is gorgeous
+ the {color} shade is perfect
+ looks high end
+ love the design
+ looks so much nicer than I expected
+ really attractive {noun}
+ the {material} finish looks lovely
+ the look is exactly my style
+ looks great in the {color}
+ such a pretty colour
+ love how {it} look{s}
+ i: I keep catching myself admiring {obj}
+ c: looks nicer than the {rival} one
- the colour is dull and muddy
- looks much cheaper in person
- the design looks dated
- the {material} looks cheap
- not the colour I ordered
- looks nothing like the pictures
- the stitching looks sloppy
- looks a bit ugly, honestly
- s: Love the "premium" look, very dollar store chic. {sarc}
- s: The colour is lovely, if you were expecting a totally different one. {sarc}
= looks alright
= the colour is fine, a little dull
+ i: {person} asked where I bought {obj} the first day
+ i: I keep getting stopped and asked about {obj}
+ i: it gets comments every time someone sees it
+ n: doesn't look budget in any way
+ n: nothing about {obj} looks cheap
+ n: no ugly branding, just clean lines
+ n: not one bit tacky
+ c: looks more expensive than the {rival} one
+ c: better looking than {old_one}
- i: looks nothing like what I ordered
- i: my daughter asked why I bought an ugly one
- i: looks like a cheap knockoff next to the real thing
- n: not the colour in the photos
- n: doesn't look as nice as the pictures at all
- n: no way that's the shade they show online
- n: nothing like the colour in the listing
- c: uglier than {old_one}
- c: looks a lot cheaper than the {rival} version
- s: Love the "{color}", which is apparently a shade of brown. {sarc}
= looks okay, not as nice as the photos
= the colour is close enough
= the look is fine, a bit generic
""",
    "value": """
+ great value for the money
+ worth every penny
+ excellent value
+ a steal at {price}
+ can't beat it for the price
+ fantastic price for what you get
+ so much quality for {price}
+ the price is very reasonable
+ a bargain, honestly
+ very fairly priced
+ worth it, even at full price
+ totally worth the money
+ i: paid half what the name brands charge
+ i: would have happily paid double
+ n: wouldn't hesitate to pay full price
+ n: couldn't find anything better for the money
+ n: not a penny wasted
+ c: better value than the {rival} one I almost bought
+ c: half the price of {old_one} and just as good
- overpriced
- not worth {price}
- way too expensive for what you get
- total waste of money
- the price is ridiculous
- way overpriced for the quality
- you're paying for the brand name
- i: paid {price} for this and regret every cent
- i: I want my money back
- n: not worth the money
- n: wouldn't pay full price again
- n: can't justify the price
- s: What a bargain, {price} for something that feels like a dollar-store knockoff. {sarc}
- s: Sure, {price} seems totally reasonable for this. {sarc}
- c: costs more than the {rival} one and does less
- c: twice the price of {old_one} and not half as good
= decent value
= a bit pricey, but okay
= fair price for what it is
= only worth it on sale
= the price is about right
= pricey, though you get what you pay for
+ great price
+ the value is outstanding
+ money well spent
+ brilliant value, would pay more
+ for {price} you really can't go wrong
+ cheap but doesn't feel it
+ excellent price for {this} quality
+ very good value for {this} {noun}
+ costs a fraction of the competition
+ good price, great quality
+ incredible value for {brand}
+ really well priced
+ reasonably priced for what you get
+ you get a lot for the price
+ this price is hard to beat
+ worth the money for sure
+ great deal
+ i: cheaper than a takeaway dinner and way more useful
+ n: no regrets about spending the money
+ n: never seen this quality at this price
+ c: better value than {old_one}
- way too pricey
- the price is not justified
- poor value for money
- expensive for what {it} {is}
- definitely not worth {price}
- you can get better for half the price
- too much money for too little
- overpriced for {brand}
- i: felt ripped off the moment I opened the box
- n: not good value at all
- s: Great value, if you're keen to throw money away. {sarc}
- c: more expensive than {old_one} and worse
= the price is okay
= reasonable price, nothing more
= value is middling
+ i: paid less than I spend on coffee in a week
+ i: the store brand costs more and is half as good
+ i: I checked three other shops and nothing came close for {price}
+ i: I'd have paid twice that and still been happy
+ i: already saved what I spent on {obj}
+ i: felt like I was getting away with something at {price}
+ i: my wallet and I are both happy
+ i: I keep expecting a catch at {price}
+ n: wouldn't find better for the money if I tried
+ n: no way you'll find {this} quality cheaper
+ n: never felt like I overpaid
+ n: can't complain for {price}
+ c: cheaper than the {rival} one and honestly better
+ c: half what I paid for {old_one} and it's better
+ c: way better value than the big brands
+ c: a better deal than anything else I looked at
- i: should have cost half what I paid
- i: my bank statement still hurts
- i: I could get three of the {rival} ones for that money
- i: felt like I paid designer prices for a knockoff
- i: {price} down the drain
- n: not worth half of {price}
- n: wouldn't pay {price} for {obj} again
- n: never again at this price
- n: no way this is worth the money
- c: costs more than {old_one} and feels cheaper
- c: pricier than the {rival} one for no good reason
- c: the supermarket version is a third of the price and just as good
- s: Sure, totally worth {price}. {sarc}
- s: What a steal, for the seller. {sarc}
- s: A real bargain at {price}, said nobody. {sarc}
- s: Love paying premium prices for budget quality. {sarc}
= it's okay for the money
= decent value on sale, less so at full price
= the price is fair, not a bargain
= pricey, but not outrageous
= not cheap, not expensive
= worth about what I paid
""",
    "delivery": """
+ arrived two days early
+ shipping was super fast
+ well packaged and arrived quickly
+ came the next day
+ delivery was quick and painless
+ packaging was excellent
+ arrived well protected
+ fast shipping
+ arrived ahead of schedule, well packed
+ i: ordered on Monday, had it by Wednesday
+ i: was on my doorstep before I'd even finished checkout, practically
+ n: no damage, everything was there
+ n: not a scratch on the box
- arrived damaged
- shipping took forever
- the box was crushed
- arrived late
- missing parts when it arrived
- arrived with a dent in it
- delivery was a mess
- came in a flimsy bag with no protection
- packaging was torn open when it arrived
- i: sat in a warehouse for two weeks
- i: the box looked like it had been kicked all the way here
- i: half the screws were missing from the bag
- n: never got a single tracking update
- n: didn't arrive until a week after the promised date
- s: Love that it arrived a week late and in a soggy box. {sarc}
= shipping was about what they said
= took a little longer than expected, but arrived fine
= packaging was minimal but it survived
= delivery was okay
+ delivered quickly
+ arrived right on time and well packed
+ super quick delivery
- delivery took ages
- the package was soaked when it arrived
- arrived with the box ripped open
- s: Amazing delivery, only took three weeks. {sarc}
- s: Love getting a box that looks like it was used for football practice. {sarc}
= delivery was fine
+ i: showed up the day after I ordered
+ i: the courier had it here before the estimate even updated
+ i: arrived a full three days ahead of the estimate
+ i: everything was there and nicely wrapped
+ n: no delays at all
+ n: not a single dent, even with that courier
+ n: couldn't have asked for faster delivery
+ c: faster than any other shop I've ordered from
+ c: arrived quicker than the estimate said
- i: the tracking said delivered, the box showed up four days later
- i: found it soaked on the doorstep with the box falling apart
- i: the box was open and half the pieces were loose
- n: no tracking, no updates, nothing
- n: not even bubble wrap in the box
- n: didn't come on the promised day, or the next
- c: slower than any other order I've placed this year
- c: took longer to arrive than to get a passport
- s: Fantastic, the box arrived crushed like a soda can. {sarc}
= delivery was slower than promised, but fine
= arrived in one piece, eventually
= packaging was a bit thin, but it arrived okay
= shipping was average
""",
    "customer_service": """
+ customer service was {very}helpful
+ {brand} support sorted out my issue quickly
+ they sent a replacement right away
+ the return was painless
+ got a full refund with no hassle
+ the seller was lovely to deal with
+ support answered within a day and fixed it
+ their warranty team was great
+ customer support went above and beyond
+ i: emailed them on a Sunday and had an answer within the hour
+ i: they shipped a new one before I even sent the old one back
+ n: no questions asked when I needed a replacement
+ n: couldn't have asked for better support
- customer service was useless
- {brand} support never got back to me
- the return process was a nightmare
- still waiting on my refund
- they refused to honour the warranty
- the seller was rude and unhelpful
- support just kept sending me canned replies
- i: three emails and a phone call later, still nothing
- i: they wanted me to pay return shipping for their mistake
- n: no one ever answered my emails
- n: wouldn't replace it even though it's under warranty
- s: Customer service was super helpful: they told me to turn it off and on again. Twice. {sarc}
- s: Really appreciate support taking three weeks to say "sorry". {sarc}
= support was polite, though slow to reply
= return was fine, took a while to get the refund
= customer service answered eventually
= the seller replied, but it took a few days
+ the seller was super responsive
+ great after-sales support
+ they made the return really easy
- terrible after-sales support
- the refund took over a month
- s: Great support, I'm still waiting for a reply. {sarc}
= support was okay
+ i: got a reply within an hour and a new one two days later
+ i: sent one photo and they refunded me on the spot
+ i: the support rep stayed on the phone until it was sorted
+ n: no arguments, no hassle, just a replacement
+ n: never had to chase them once
+ n: not one annoying form to fill in for the return
+ c: better support than I've had from much bigger brands
+ c: miles better service than the {rival} folks
- i: I've been passed between four different agents
- i: the chatbot hung up on me twice
- i: they closed my ticket without replying
- n: no response after two weeks
- n: not once did support actually read my message
- n: never got the replacement they promised
- c: worse service than any shop I've dealt with
- c: support is a lot worse than the {rival} people
- s: Loving the daily automated email saying my case is important to them. {sarc}
= support was fine, took a couple of days
= returns are possible but slow
= customer service was okay, nothing special
""",
    "ease_of_use": """
+ {very}easy to use
+ simple and intuitive
+ setup took five minutes
+ easy to set up
+ straightforward to use
+ super simple to get going
+ the instructions were clear
+ i: had it up and running in ten minutes
+ n: didn't even need the instructions
+ n: no learning curve
- complicated to use
- a pain to set up
- the instructions are useless
- fiddly and frustrating to use
- setup is a headache
- i: spent an entire evening just getting it going
- n: not intuitive at all
- n: couldn't figure out how to use it
- s: Setup was a breeze, only took me three hours and a YouTube video. {sarc}
= easy enough once you figure it out
= setup was a bit fiddly
= takes a few tries to get the hang of
+ really user friendly
+ so easy anyone could use {obj}
+ quick and easy to get started
+ controls are simple
+ i: my mum figured {obj} out without calling me once
- confusing to use
- clunky and awkward to use
- the controls are a mess
- s: So intuitive I only needed to read the manual four times. {sarc}
- s: Really user friendly, as long as you have an engineering degree. {sarc}
= usable, a bit clunky
+ i: I figured {obj} out in a couple of minutes
+ i: my dad figured {obj} out on his own
+ i: was using {obj} before I'd even found the manual
+ n: nothing complicated about {obj}
+ n: never had to look anything up
+ n: no fiddly bits to deal with
+ c: much easier to use than {old_one}
+ c: simpler than the {rival} one
+ c: easier than anything else I've tried
- i: spent an hour on YouTube trying to work it out
- i: gave up and asked my teenager to do it
- i: I still don't know what half the buttons do
- n: nothing about {obj} is easy
- n: not user friendly in the slightest
- n: never managed to get it right on the first go
- c: more complicated than {old_one}
- c: way harder to use than the {rival} version
- c: fiddlier than it needs to be compared to others
= fairly easy once set up
= usable, with some trial and error
= the learning curve is real but short
""",
    "taste_scent": """
+ smells lovely
+ tastes great
+ n: no weird smell at all
- smells awful
- the smell is off-putting
- n: can't get past the smell
= the smell is okay
""",
}

# Aspect banks shared by several product families (the family table below says which).
GROUPS = {
    ("comfort", "feet"): """
+ my feet feel great even after a full shift
+ the cushioning is soft without feeling mushy
+ no break-in period needed
+ like walking on clouds
+ plenty of arch support
+ the footbed is plush
+ comfortable right out of the box
+ cushioned in all the right places
+ super comfortable {use}
+ the padding around the ankle is really nice
+ i: walked twelve miles in {obj} with zero blisters
+ i: my plantar fasciitis hasn't flared up since I switched
+ i: stood in {obj} for a ten-hour shift and my feet were fine
+ n: no hot spots, no rubbing
+ n: not a single blister
+ c: better cushioning than {old_one}
- gave me blisters on both heels
- the insole is paper thin
- my feet ache after an hour
- the heel rubs something awful
- rock hard underfoot
- painful across the top of my foot
- the seams dig into my toes
- i: I've gone through a whole box of band-aids since I got {obj}
- i: had to swap in my old insoles just to get through the day
- i: my toes went numb after an hour
- n: zero arch support
- n: not comfortable at all for long walks
- n: no cushioning to speak of
- s: Nothing says fun like blisters on day one. {sarc}
- c: much harsher on my feet than {old_one}
= comfortable enough for short walks
= the cushioning is a bit firm but fine
= needed a week to break in, now {itis} okay
= the footbed is firm, which some people will like
""",
    ("comfort", "wear"): """
+ the fabric is {very}soft against my skin
+ soft and breathable
+ feels like pajamas, in the best way
+ the {material} feels lovely
+ stretchy in all the right places
+ cozy and soft
+ the material is buttery soft
+ lightweight and comfy {use}
+ i: I've worn {obj} three days straight
+ i: the first thing I reach for after a long day
+ n: not itchy at all
+ n: doesn't cling or ride up
+ c: softer than {old_one}
- the fabric is scratchy
- itchy around the neck
- the seams rub
- stiff and rough even after washing
- the {material} feels like sandpaper
- clingy and sweaty
- the tag is a nightmare, scratches all day
- i: spent the whole day scratching
- i: left red marks on my skin
- n: not soft at all
- n: nothing about {obj} feels nice to wear
- s: Nothing like wearing sandpaper all day. {sarc}
- c: scratchier than anything else I own
= the fabric is okay, a bit thin
= soft enough, not luxurious
= a bit stiff at first, softens with washing
""",
    ("comfort", "head"): """
+ sits comfortably on my head all day
+ light enough that I barely notice {obj}
+ no pressure on my forehead
+ the inside band is soft
+ comfortable even on long days out
+ i: forgot I had {obj} on
+ n: no headaches, even after hours
- gives me a headache after an hour
- the band digs into my forehead
- heavy and sweaty
- presses on my temples
- i: I keep taking {obj} off after twenty minutes
- n: not comfortable for long days
= comfortable enough for a couple of hours
= a little tight at first, fine now
""",
    ("comfort", "hands"): """
+ soft lining, very cozy on my hands
+ my fingers never feel cramped
+ flexible enough to grip things easily
+ the lining is so soft
+ i: wore {obj} all afternoon and forgot about them
- the seams dig into my fingers
- stiff, hard to make a fist
- the lining bunches up and rubs
- i: my hands ached after an hour
- n: not comfortable for long
= comfortable enough, a bit stiff at first
""",
    ("comfort", "ears"): """
+ comfortable in my ears for hours
+ <headphones> the ear cushions are super soft
+ no ear fatigue even after a long flight
+ <headphones> the clamp force is just right
+ light enough to wear all day
+ i: wore {obj} through a whole workday without noticing
+ n: no soreness even after hours
+ n: <headphones> doesn't press on my glasses
+ c: much comfier than {old_one}
- my ears hurt after an hour
- <headphones> the clamp is way too tight
- <headphones> the ear pads get hot and sweaty
- <headphones> heavy on the head
- pressure on my ears is unbearable
- i: had to take {obj} off halfway through a movie
- n: not comfortable for long sessions
- c: less comfortable than {old_one}
= comfortable for an hour or so, then I need a break
= <headphones> ear pads are fine, a bit firm
+ <earbuds> the tips sit comfortably in my ears all day
+ <earbuds> so light I forget they're in
- <earbuds> my ears ache after an hour with them in
- <earbuds> the tips are hard and press on my ear canal
= <earbuds> comfortable once I swapped to the small tips
""",
    ("comfort", "wrist"): """
+ light and comfortable on my wrist
+ comfortable enough to sleep in
+ the band is soft and doesn't irritate
+ barely notice it on my wrist
+ i: I forget {itis} on my wrist
+ n: no rash, no sweaty wrist
- the band gave me a rash
- bulky and uncomfortable to sleep with
- digs into my wrist bone
- sweaty and itchy under the band
- i: left a red mark on my wrist every night
- n: not comfortable to wear overnight
= comfortable enough, slightly bulky
= fine during the day, annoying at night
""",
    ("comfort", "seat"): """
+ the seat cushion is {very}comfortable
+ <office|sofa> great lumbar support
+ my back feels so much better at the end of the day
+ <office> perfect for long work sessions
+ the cushions are plush but supportive
+ comfortable for hours
+ sinks in just enough
+ i: <office> sat in {obj} for a ten-hour gaming session and felt fine
+ i: my back pain is basically gone since I switched
+ i: <sofa> the whole family fights over who gets to sit in {obj}
+ n: no more sore back
+ c: way comfier than {old_one}
- the seat is rock hard
- my back aches after an hour
- <office> the armrests dig into my elbows
- the cushions are stiff and lumpy
- <sofa|dining> seat is too shallow to be comfortable
- i: I end up sitting on a pillow
- i: <dining> my tailbone hurts after every meal
- n: <office> no lumbar support whatsoever
- n: not comfortable for more than half an hour
- c: less comfortable than the cheap one it replaced
= <dining> comfortable enough for dinner, not for lounging
= firm but okay
= fine for an hour or two
""",
    ("comfort", "skin"): """
+ feels lightweight on my {body}
+ absorbs quickly with no greasy residue
+ gentle on my sensitive {body}
+ leaves my {body} soft
+ feels silky going on
+ soothing and light
+ i: my {body} drinks it up
+ n: not sticky at all
+ n: no stinging, no redness
- leaves a greasy film
- burned when I put it on
- my {body} felt tight and itchy afterwards
- sticky and heavy
- stings like crazy
- i: had red blotches within an hour
- n: not gentle at all
- n: doesn't sink in, just sits on top
= a bit heavy, but it sinks in eventually
= slightly tacky at first
""",
    ("comfort", "grip"): """
+ feels great in my hand
+ ergonomic and comfortable to hold
+ comfortable to hold for long periods
+ the grip is soft and secure
+ nicely balanced in the hand
+ i: no more wrist pain since switching
+ n: no hand cramps even after hours
- awkward to hold
- my hand cramps after a while
- sharp edges dig into my palm
- the grip is slippery and hard
- i: gave me a blister on my palm
- n: not ergonomic at all
= comfortable enough for short sessions
= takes some getting used to in the hand
""",
    ("comfort", "carry"): """
+ carries the weight on my hips nicely
+ padded straps, easy on my shoulders
+ comfortable even fully loaded
+ the back panel breathes well
+ i: carried a heavy load all day and felt fine
+ n: no sore shoulders at all
- the straps dig into my shoulders
- my back was killing me after an hour
- the hip belt rubs
- no padding where it matters
- i: had bruises on my shoulders the next day
- n: not comfortable for more than a short walk
= comfortable for a few hours, then the straps start to bother me
""",
    ("comfort", "soft"): """
+ soft and cozy
+ plenty of cushioning
+ so soft and squishy
+ thick and comfortable
+ i: slept like a baby
+ n: no hard spots anywhere
- thin and hard
- lumpy and uncomfortable
- you feel every bump through it
- flat as a pancake
- i: woke up sore every time
- n: not soft at all
= soft enough, a bit thin
""",
    ("comfort", "baby"): """
+ {kid} seems really comfortable in {obj}
+ the padding is soft and supportive
+ {kid} falls asleep in {obj} every time
+ easy on my back too
+ i: {kid} naps in {obj} happily
+ n: no fussing at all
- {kid} screams every time we use {obj}
- the straps dig into {kid}'s shoulders
- the padding is thin and scratchy
- i: {kid} arches away after five minutes
- n: not comfortable for longer trips
= {kid} tolerates it, no more
""",
    ("fit", "wear"): """
+ {it} run{s} true to size
+ snug in the right places without being tight
+ <CLOTHES> the length is perfect on me
+ my usual size fit perfectly
+ <CLOTHES> fits my frame really well
+ <CLOTHES> roomy without being baggy
+ <CLOTHES> the cut is really flattering
+ i: ordered a medium like always and it fit perfectly
+ n: <CLOTHES> no gaping, no pulling
+ c: fits better than {old_one}
- {it} run{s} at least a size small
- <CLOTHES> {it} run{s} huge, I'm swimming in {obj}
- way too tight
- <CLOTHES> too short for me
- the sizing is completely inconsistent
- <TOPS> tight in the shoulders and baggy everywhere else
- i: had to size up twice
- i: had to exchange for a bigger size
- i: <CLOTHES> could fit two of me in {obj}
- n: not true to size at all
- c: a full size smaller than {old_one}
- s: Love that a large apparently means a child's medium. {sarc}
= a little snug at first but {it} loosen{s} up
= runs slightly small, size up if between sizes
= fit is fine, a bit loose in places
= <CLOTHES> slightly long, but that's what tailors are for
+ <gloves|hat|cap|beanie|helmet|headlamp> the adjustable strap gets the fit just right
+ <gloves> snug fingers, no extra material at the tips
- <gloves> the fingers are way too long
- <hat|cap|beanie|helmet> too tight around my head
- <hat|cap|beanie|helmet> i: sits on top of my head like a bottle cap
= <gloves|hat|cap|beanie> a little loose, but fine
""",
    ("fit", "feet"): """
+ {it} run{s} true to size
+ perfect fit in my normal size
+ plenty of room in the toe box
+ the heel locks in nicely
+ great for wide feet
+ snug without squeezing
+ i: ordered my usual {size} and it was perfect
+ n: no heel slip at all
+ c: fits better than {old_one}
- {it} run{s} a full size small
- way too narrow in the toe box
- my heel slips out with every step
- runs huge, even with thick socks
- tight across the top of my foot
- i: had to size up twice
- i: had to go up a whole size and the width is still off
- n: not true to size at all
- n: not made for wide feet, that's for sure
- c: half a size smaller than {old_one}
- s: Great if your feet are the shape of a pencil. {sarc}
= runs about half a size small
= a bit snug at first, fine after a few wears
= fit is okay, slightly roomy in the heel
""",
    ("fit", "device"): """
+ fits my {device} perfectly
+ all the cutouts line up
+ snug fit, nothing wobbles
+ fits like it was made for my {device}
+ perfect fit, easy to get on and off
+ n: no gaps anywhere
- doesn't actually fit my {device}
- too loose, slides around
- the cutouts don't line up
- too tight to get on my {device}
- i: I had to force it on and it popped off the next day
- n: not compatible with my {device}, despite the listing
= fits, but it's a bit snug
= fits, slightly loose
+ fits snugly with no wiggle
+ the sizing is exactly right for my {device}
+ c: fits better than {old_one}
- i: my {device} slides right out of it
- s: Made for my {device}, apparently a different one. {sarc}
- c: looser than {old_one}
= fits, a bit tight around the edges
""",
    ("fit", "ears"): """
+ <earbuds> stay put in my ears, even on runs
+ <earbuds> the different tip sizes mean a perfect seal
+ <headphones> the headband adjusts to fit my big head
+ <headphones> fit snugly without squeezing
+ n: never fall off, even when I move around
- <earbuds> keep falling out of my ears
- <earbuds> i: one popped out and rolled under a train seat
- <earbuds> too big for my ears, even with the small tips
- <headphones> too small for my head, even fully extended
- <headphones> slide off whenever I look down
- n: don't stay in place at all
- s: Love chasing them across the gym floor every time they fall out. {sarc}
= fit is okay once you find the right position
""",
    ("fit", "space"): """
+ fits perfectly in {room}
+ the dimensions are exactly as listed
+ just the right size for {room}
+ compact enough for {room}
+ the size is perfect
+ i: slid right into the alcove with an inch to spare
+ n: doesn't take over {room}
- much smaller than the listing made it look
- way too big for {room}
- the dimensions in the listing are wrong
- too small to be useful
- takes up way more room than I expected
- i: had to return it because it blocked the doorway
- n: nowhere near the listed dimensions
= slightly bigger than I expected but it works
= a bit smaller than I pictured
+ fits the space like it was made for it
+ exactly the footprint I measured for
+ sits perfectly in {room}
+ c: a much better size for {room} than {old_one}
+ n: no wasted space at all
- i: I measured twice and it still doesn't fit {room}
- i: sticks out into the walkway
- s: Great size, if you live in a warehouse. {sarc}
- c: bigger than {old_one} despite the listing saying otherwise
= the size is okay, a bit bulky
= fits, just about
""",
    ("durability", "textile"): """
+ holding up great after {num} washes
+ no pilling at all
+ the stitching is really solid
+ washes beautifully
+ the seams are reinforced
+ still looks new after {period}
+ i: survived a season of heavy use without a mark
+ n: hasn't faded or shrunk
+ n: no loose threads anywhere
+ c: holding up better than {old_one}
- pilled after {num} washes
- a seam split after {period}
- shrank two sizes in the wash
- the colour faded after one wash
- got a hole in {period}
- the stitching is coming undone
- the {part} broke after {period}
- i: lasted three washes
- i: looks ten years old after a month
- n: didn't survive the washing machine
- s: Love the new holes it developed after one wash. {sarc}
- c: wearing out faster than {old_one}
= some pilling, but nothing terrible
= a few loose threads, otherwise fine
= faded slightly after a few washes
""",
    ("durability", "shoe"): """
+ the soles show barely any wear after {period}
+ stitching is solid all around
+ tough as nails
+ the outsole is wearing really well
+ i: put hundreds of miles on {obj} and {itis} still going
+ n: no peeling or splitting anywhere
+ c: outlasting {old_one} by miles
- the sole started peeling after {period}
- the glue came apart at the toe
- the upper tore near the little toe
- the tread wore smooth in {period}
- a hole in the mesh after {period}
- i: lasted exactly one season
- i: the sole is flapping like a mouth after {period}
- n: not built for actual use
- s: Loved watching the sole peel off after two weeks. {sarc}
- c: worn out faster than {old_one}
= some wear showing after {period}, about normal
= a bit of creasing but holding up
""",
    ("durability", "device"): """
+ survived a few drops onto concrete
+ still works perfectly after {period}
+ feels solid and premium
+ the build is tank-like
+ i: {kid} has dropped {obj} a dozen times and it still works
+ n: no issues after {period} of daily use
+ n: no creaks, no loose parts
- stopped working after {period}
- died after {period}
- the {part} stopped working within {short}
- the {part} came loose after {period}
- started glitching after {short}
- i: the second one died too
- i: now it only works if I hold the cable at a certain angle
- n: didn't even make it a month
- s: Worked beautifully for all of {short}. {sarc}
- c: {old_one} lasted years, {this} lasted weeks
= fine so far, though {it} feel{s} a bit plasticky
= one small glitch, otherwise okay
""",
    ("durability", "furniture"): """
+ solid and sturdy, no wobble at all
+ heavy and well built
+ real wood, built like a tank
+ holds a lot of weight with no sagging
+ i: my teenagers have tried their best to destroy {obj} and failed
+ n: no wobbling, no creaking
+ n: doesn't sag even fully loaded
- wobbles like crazy
- the particle board cracked during assembly
- already sagging after {period}
- the screws stripped the first time I tightened them
- the {part} snapped after {period}
- creaks every time I move
- i: <bookshelf> the shelf bowed under a few paperbacks
- n: not sturdy at all
- n: wouldn't trust {obj} with anything heavy
- s: Sturdy as a house of cards. {sarc}
= sturdy enough, a slight wobble
= fine for light use
""",
    ("durability", "kitchen"): """
+ no chips or cracks after {period} of daily use
+ the coating is holding up great
+ built to last a lifetime
+ goes through the dishwasher daily with no issues
+ heavy duty and solid
+ i: dropped {obj} on the tile floor and not a scratch
+ n: no rust, no warping
+ c: holding up far better than {old_one}
- the coating started peeling after {period}
- rusted within {short}
- the handle came loose after {period}
- chipped the first week
- cracked after {period}
- the lid hinge broke
- i: already has rust spots after two washes
- n: didn't survive the dishwasher
- s: Love the extra iron from the rust in my food. {sarc}
= a few scratches after {period}, otherwise fine
= holding up okay, some discoloration
""",
    ("durability", "toy"): """
+ survived {kid} throwing it down the stairs
+ solid, well made pieces
+ holds up to rough play
+ still in one piece after {period}
+ i: {kid} has played with {obj} every day for {period} and not a scratch
+ n: nothing has broken yet, which is a miracle in our house
- broke within {short}
- the {part} snapped off the first day
- paint chipping already
- pieces crack if you look at them wrong
- i: in pieces before lunch on the first day
- n: not built for actual kids
- s: Lasted a whole afternoon. {sarc}
= a couple of pieces broke, the rest is fine
""",
    ("durability", "gear"): """
+ rugged and tough
+ survived a lot of abuse
+ still like new after {period} of hard use
+ the {part} is really solid
+ i: dropped {obj} down a rocky slope and it was fine
+ n: no cracks, no bends
- the {part} broke after {period}
- cracked the first time I dropped it
- started tearing after {period}
- the {part} snapped on the second outing
- i: didn't make it through a single season
- n: not tough enough for real use
- s: Amazing durability, snapped on the first trip. {sarc}
= holding up okay so far
""",
    ("durability", "accessory"): """
+ still looks new after {period} of daily use
+ the {part} is solid and hasn't loosened
+ no scuffs or cracks so far
+ the material is thick and tough
+ i: been thrown in my bag every day for {period} and not a mark on {obj}
+ n: no peeling, no yellowing
- the {part} broke after {period}
- started peeling at the edges
- yellowed within a month
- the seams split after {period}
- cracked at the corner after one drop
- i: held together with tape after {period}
- n: didn't last a month
- s: Really premium material, already peeling after {short}. {sarc}
= some wear at the edges, nothing major
""",
    ("ease_of_use", "assembly"): """
+ assembly took about twenty minutes
+ went together easily
+ all the holes lined up perfectly
+ the instructions were clear and the parts were labelled
+ easy to put together by myself
+ assembled in under an hour
+ i: put {obj} together with a glass of wine in one hand
+ n: no tools needed
+ n: didn't even need a second person
- assembly was a nightmare
- the holes didn't line up
- the instructions are just pictures and half of them are wrong
- needs two people and a lot of patience
- the parts aren't labelled at all
- i: took two of us four hours to put together
- i: I'm pretty sure there are three extra screws
- n: not something one person can assemble
- s: Assembly was a fun little four-hour puzzle. {sarc}
= assembly took a while but was manageable
= the instructions could be clearer
""",
    ("ease_of_use", "adjust"): """
+ easy to adjust, even with gloves on
+ quick to adjust on the go
+ changing the settings takes seconds
+ the locking mechanism is simple and secure
+ i: set {obj} up in the car park in under a minute
+ n: no fiddling needed
- the locks are fiddly and stiff
- adjusting {obj} is a real pain
- the mechanism jams constantly
- i: needed pliers to loosen it after the first use
- n: not easy to adjust at all
- s: Love wrestling with the adjustment every single time. {sarc}
= adjusting takes a bit of practice
""",
    ("ease_of_use", "controls"): """
+ the buttons are simple to use
+ one button does everything, easy
+ switching modes is quick and intuitive
+ the controls are dead simple
+ i: {kid} worked the controls out in seconds
+ n: no confusing menus
- the buttons are tiny and hard to press
- cycling through the modes to turn it off is annoying
- the controls are confusing
- i: I keep blinding myself trying to find the right mode
- n: not easy to operate with cold hands
- s: Love clicking through five modes just to switch it off. {sarc}
= the controls take a little getting used to
""",
    ("ease_of_use", "app"): """
+ pairing was instant
+ the app is clean and easy to use
+ setup took two minutes
+ the controls are intuitive
+ connects automatically every time
+ the companion app is actually good
+ i: out of the box and paired before the kettle boiled
+ n: no fiddly setup
- the app is buggy and keeps logging me out
- setup required creating three accounts
- the touch controls are way too sensitive
- the buttons are confusing
- the app crashes constantly
- i: had to factory reset it twice just to get it paired
- n: not intuitive at all
- n: couldn't get the app to recognise it
- s: Love needing an account and a firmware update just to turn it on. {sarc}
= the app is fine, a bit clunky
= setup took a few tries
""",
    ("ease_of_use", "clean"): """
+ a breeze to clean
+ dishwasher safe, which is a lifesaver
+ cleans up in seconds
+ easy to take apart and wash
+ simple to use and even simpler to clean
+ i: a quick rinse and it's done
+ n: no scrubbing needed
- impossible to clean
- gunk gets stuck in every corner
- a pain to take apart for washing
- the lid has a million little parts to clean
- i: I need a toothbrush to get into the seals
- n: not dishwasher safe, which they don't mention
= cleaning is a bit tedious but fine
= easy to use, a bit annoying to clean
+ rinses clean in seconds
+ nothing gets trapped anywhere, so cleaning is quick
+ the lid comes apart for cleaning, which I love
+ c: much easier to clean than {old_one}
- stains that won't come out no matter what
- the seal traps water and gets mouldy
- s: Love spending twenty minutes scrubbing {obj} after every use. {sarc}
- n: not easy to clean at all
- c: harder to clean than {old_one}
= cleaning takes a minute, but fine
""",
    ("ease_of_use", "instructions"): """
+ the instructions are clear
+ easy to follow, even for {kid}
+ {kid} could do it without my help
+ the rules are simple to pick up
+ i: we were playing within ten minutes of opening the box
+ n: no frustration at all
- the instructions are confusing
- the rules make no sense
- the steps skip important parts
- i: took us an hour to figure out the rules
- n: not easy for kids to follow
= the instructions are okay, a few confusing steps
""",
    ("ease_of_use", "bag"): """
+ the resealable bag is really handy
+ easy to pour and store
+ easy to open and reseal
+ the resealable zip actually works
+ the packaging is easy to use
+ i: the bag clips shut and stays fresh in the cupboard
+ n: no mess
- the bag doesn't reseal
- the packaging is impossible to open
- the zip broke the first time I opened it
- the bag tears when you open it
- i: I had to tip it all into a jar
- n: not easy to pour without spilling
- s: Love wrestling the packaging open every morning. {sarc}
= packaging is fine, nothing special
= the packaging could be better
""",
    ("ease_of_use", "bottle"): """
+ the pump dispenser works perfectly
+ the bottle is easy to squeeze
+ the pump gives just the right amount
+ travel-friendly bottle, easy to use
+ i: one pump does my whole face
+ n: no mess, no waste
- the pump barely works
- hard to get the last bit out
- the lid leaks all over the bathroom shelf
- the dropper is useless
- i: I had to cut the tube open to get the rest out
- n: not easy to dispense
- s: Love a pump that squirts everywhere except my hand. {sarc}
= packaging is fine, nothing special
= the bottle is okay, a bit awkward
""",
    ("taste_scent", "food"): """
+ tastes {very}good
+ the flavour is rich and satisfying
+ the {flavor} flavour is spot on
+ delicious
+ tastes really fresh
+ nicely balanced flavour
+ absolutely delicious
+ the taste is excellent
+ i: ate the whole thing in two days
+ i: my kids fight over the last one
+ i: gone within a week in our house
+ n: not too sweet
+ n: doesn't taste artificial at all
+ c: tastes better than {old_one}
- tastes stale
- the flavour is bland
- way too sweet
- has a weird aftertaste
- tastes like cardboard
- the {flavor} tastes artificial
- bitter and flat
- i: one bite and into the bin it went
- i: nobody in my house would finish it
- n: doesn't taste like anything
- n: not a fan of the taste at all
- s: Delicious, if you enjoy the taste of cardboard. {sarc}
- c: tastes worse than the cheap supermarket stuff
= tastes fine
= the flavour is okay, nothing special
= a bit too sweet for me, but fine
""",
    ("taste_scent", "coffee"): """
+ smooth and rich, no bitterness
+ tastes amazing
+ <coffee> the aroma when you open the bag is incredible
+ <coffee> lovely chocolatey notes
+ smooth and flavourful
+ the flavour is clean and bright
+ i: <coffee> my morning cup is the highlight of my day now
+ n: not bitter at all
+ c: tastes better than {old_one}
- <coffee> tastes burnt
- bland and flat
- bitter no matter how I brew it
- tastes stale, like it's been sitting around for months
- weak flavour
- i: poured my first cup down the sink
- n: no flavour to speak of
- s: <coffee> Love starting the day with a cup of burnt dishwater. {sarc}
- c: tastes worse than {old_one}
= tastes okay, a bit weak
= decent flavour, nothing memorable
+ <tea> delicate and grassy, exactly what I wanted
+ <tea> no bitterness even when I forget it and it steeps too long
- <tea> tastes like hay
- <tea> more dust than tea, and bitter with it
= <tea> a mild flavour, a bit plain
""",
    ("taste_scent", "pet_food"): """
+ {pet} loves the taste
+ {pet} gobbles it up
+ even my picky eater likes it
+ {pet} goes crazy for it
+ i: {pet} inhaled it
+ i: {pet} licks the bowl clean every time
+ i: {pet} sits by the bowl waiting for dinner now
+ n: no more turning up noses at dinner
+ c: {pet} likes it way more than {old_one}
- {pet} won't touch it
- smells awful when you open the bag
- {pet} hates the taste
- i: {pet} sniffed it and walked away
- i: {pet} eats around it and leaves half the bowl
- n: not something {pet} will eat
- s: {pet} loved it so much {pet} refused to eat for two days. {sarc}
= {pet} eats it, but without much enthusiasm
= {pet} likes it okay
""",
    ("taste_scent", "scent"): """
+ smells amazing
+ the scent is light and fresh
+ love the {scent} scent
+ the fragrance is lovely and subtle
+ smells like a spa
+ the smell lingers nicely
+ i: my husband keeps asking what I'm wearing
+ n: not overpowering at all
+ n: no chemical smell
- the fragrance is overpowering
- smells like chemicals
- the {scent} scent smells fake
- gave me a headache from the smell
- the scent is way too strong
- i: I had to open a window after using it
- n: not a fan of the scent
- n: doesn't smell anything like {scent}
= the scent is fine, a bit strong
= smells okay, nothing special
""",
    ("taste_scent", "odor"): """
+ no smell out of the box
+ no chemical odour at all
+ doesn't smell like plastic
+ i: didn't even need to air {obj} out
+ n: no off-gassing whatsoever
- strong chemical smell when I opened it
- still smells like a tire factory after a week
- reeks of plastic
- the smell gave me a headache
- i: had to air {obj} out on the balcony for days
- n: the smell just won't go away
= slight smell at first, gone after a day
""",
    ("taste_scent", "drink"): """
+ no metallic taste
+ coffee tastes like coffee, not like the mug
+ doesn't hold onto smells
+ i: water tastes just like it came from the tap
+ n: no plastic taste at all
- everything tastes like metal
- the lid holds onto old coffee smell
- water tastes like plastic
- i: my tea tastes like yesterday's soup
- n: can't get rid of the weird taste
= slight plastic taste at first, gone after a few washes
""",
    ("taste_scent", "litter"): """
+ the light scent is nice
+ unscented, no fake perfume
+ the smell is fresh without being strong
+ n: no perfume stink
- the perfume smell is overpowering
- smells like cheap air freshener
- n: can't stand the scent
= the scent is fine
""",
    ("taste_scent", "skin_scent"): """
+ smells clean and fresh
+ the scent is subtle
+ n: no weird smell
- smells like a chemistry lab
- a strange smell that lingers
- n: can't stand the smell
= the smell is fine
""",
}

# Product type -> (nouns a reviewer calls it, plural?, the unit: "pair", "one", "bag"...).
TYPES = {
    "running shoes": ("running shoes|shoes|runners", 1, "pair"),
    "trail running shoes": ("trail shoes|trail runners|shoes", 1, "pair"),
    "hiking boots": ("hiking boots|boots", 1, "pair"),
    "winter boots": ("winter boots|boots", 1, "pair"),
    "sneakers": ("sneakers|shoes|trainers", 1, "pair"),
    "sandals": ("sandals", 1, "pair"),
    "loafers": ("loafers|shoes", 1, "pair"),
    "oxford shoes": ("oxfords|shoes", 1, "pair"),
    "rain boots": ("rain boots|boots|wellies", 1, "pair"),
    "slippers": ("slippers", 1, "pair"),
    "t-shirt": ("t-shirt|tee|shirt", 0, "one"),
    "running top": ("running top|top|shirt", 0, "one"),
    "hoodie": ("hoodie", 0, "one"),
    "sweater": ("sweater|jumper", 0, "one"),
    "jeans": ("jeans", 1, "pair"),
    "dress": ("dress", 0, "one"),
    "leggings": ("leggings", 1, "pair"),
    "polo shirt": ("polo|shirt", 0, "one"),
    "chinos": ("chinos|trousers|pants", 1, "pair"),
    "running shorts": ("shorts|running shorts", 1, "pair"),
    "running socks": ("socks|running socks", 1, "pair"),
    "sun hat": ("sun hat|hat", 0, "one"),
    "rain jacket": ("rain jacket|jacket|shell", 0, "one"),
    "down parka": ("parka|coat|jacket", 0, "one"),
    "fleece jacket": ("fleece|jacket", 0, "one"),
    "windbreaker": ("windbreaker|jacket", 0, "one"),
    "wool coat": ("coat|wool coat", 0, "one"),
    "beanie": ("beanie|hat", 0, "one"),
    "gloves": ("gloves", 1, "pair"),
    "wireless earbuds": ("earbuds|buds", 1, "pair"),
    "over-ear headphones": ("headphones|cans", 1, "pair"),
    "bluetooth speaker": ("speaker", 0, "one"),
    "smartwatch": ("watch|smartwatch", 0, "one"),
    "fitness tracker": ("tracker|fitness tracker", 0, "one"),
    "portable charger": ("power bank|charger|battery pack", 0, "one"),
    "smartphone": ("phone", 0, "one"),
    "phone case": ("case|phone case", 0, "one"),
    "watch band": ("band|strap", 0, "one"),
    "charging cable": ("cable|charging cable", 0, "one"),
    "laptop": ("laptop", 0, "one"),
    "monitor": ("monitor|screen", 0, "one"),
    "mechanical keyboard": ("keyboard", 0, "one"),
    "wireless mouse": ("mouse", 0, "one"),
    "webcam": ("webcam|camera", 0, "one"),
    "usb-c hub": ("hub|dongle", 0, "one"),
    "laptop sleeve": ("sleeve|laptop sleeve", 0, "one"),
    "coffee maker": ("coffee maker|machine", 0, "one"),
    "espresso machine": ("espresso machine|machine", 0, "one"),
    "blender": ("blender", 0, "one"),
    "air fryer": ("air fryer", 0, "one"),
    "chef's knife": ("knife", 0, "one"),
    "cast iron skillet": ("skillet|pan", 0, "one"),
    "nonstick frying pan": ("pan|frying pan", 0, "one"),
    "electric kettle": ("kettle", 0, "one"),
    "travel mug": ("travel mug|mug", 0, "one"),
    "vacuum flask": ("flask|thermos", 0, "one"),
    "coffee mug": ("mug", 0, "one"),
    "food storage containers": ("containers", 1, "set"),
    "office chair": ("chair|office chair", 0, "one"),
    "standing desk": ("desk|standing desk", 0, "one"),
    "bookshelf": ("bookshelf|shelf", 0, "one"),
    "sofa": ("sofa|couch", 0, "one"),
    "bed frame": ("bed frame|frame", 0, "one"),
    "dining chair": ("chair|dining chair", 0, "one"),
    "coffee table": ("coffee table|table", 0, "one"),
    "tv stand": ("TV stand|stand", 0, "one"),
    "moisturizer": ("moisturizer|cream", 0, "jar"),
    "shampoo": ("shampoo", 0, "bottle"),
    "conditioner": ("conditioner", 0, "bottle"),
    "sunscreen": ("sunscreen", 0, "tube"),
    "lipstick": ("lipstick", 0, "one"),
    "face serum": ("serum", 0, "bottle"),
    "body wash": ("body wash", 0, "bottle"),
    "yoga mat": ("mat|yoga mat", 0, "one"),
    "camping tent": ("tent", 0, "one"),
    "sleeping bag": ("sleeping bag|bag", 0, "one"),
    "dumbbells": ("dumbbells|weights", 1, "set"),
    "water bottle": ("bottle|water bottle", 0, "one"),
    "hiking backpack": ("pack|backpack", 0, "one"),
    "running cap": ("cap|hat", 0, "one"),
    "trekking poles": ("poles|trekking poles", 1, "pair"),
    "headlamp": ("headlamp", 0, "one"),
    "bike helmet": ("helmet", 0, "one"),
    "building blocks set": ("set|building set", 0, "one"),
    "board game": ("game", 0, "one"),
    "jigsaw puzzle": ("puzzle", 0, "one"),
    "plush toy": ("plush|stuffed animal", 0, "one"),
    "remote control car": ("RC car|car", 0, "one"),
    "science kit": ("kit|science kit", 0, "one"),
    "toy figures": ("figures", 1, "set"),
    "coffee beans": ("beans|coffee beans", 1, "bag"),
    "ground coffee": ("coffee", 0, "bag"),
    "green tea": ("tea", 0, "box"),
    "olive oil": ("olive oil|oil", 0, "bottle"),
    "dark chocolate": ("chocolate", 0, "bar"),
    "protein bars": ("bars|protein bars", 1, "box"),
    "mixed nuts": ("nuts", 1, "bag"),
    "dog food": ("food|kibble", 0, "bag"),
    "cat food": ("food", 0, "bag"),
    "cat litter": ("litter", 0, "bag"),
    "dog bed": ("bed|dog bed", 0, "one"),
    "cat tree": ("cat tree|tree", 0, "one"),
    "chew toy": ("toy|chew toy", 0, "one"),
    "dog leash": ("leash", 0, "one"),
    "stroller": ("stroller|pram", 0, "one"),
    "car seat": ("car seat|seat", 0, "one"),
    "diapers": ("diapers|nappies", 1, "box"),
    "baby monitor": ("monitor|baby monitor", 0, "one"),
    "baby bottles": ("bottles", 1, "set"),
    "baby carrier": ("carrier", 0, "one"),
}

# Product families: which aspects apply (with how often reviewers bring them up; value, delivery and customer
# service apply to everything), which shared banks they use, their own words, and their performance bank.
# Keys: types; w (aspect weights); comfort/fit/durability/ease_of_use/taste_scent (shared bank names);
# body, parts, uses, sport (uses of sporty shoppers), verb (wear/use/sit in), device, room; perf (bank);
# battery (extra battery bank); drop (product type -> aspects that do not apply to it). A template that starts
# with "<kw|kw>" is only for product types that contain one of the keywords.
FAMILIES = {
    "run_shoes": dict(
        types=["running shoes", "trail running shoes"],
        w=dict(comfort=1.0, fit=0.9, durability=0.7, performance=0.8, appearance=0.4, taste_scent=0.03),
        comfort="feet", fit="feet", durability="shoe", taste_scent="odor", verb="wear", body="feet",
        parts=["sole", "heel counter", "toe cap", "lace", "insole", "tongue", "outsole"],
        uses=["on my morning runs", "on long runs", "for marathon training", "on the treadmill", "on trails",
              "for parkrun", "on race day", "for easy miles"],
        sport=["on my long runs", "during speed work", "on muddy trails", "for half marathon training"],
        perf="""
+ great grip on wet pavement
+ the traction on muddy trails is unreal
+ light and really responsive
+ plenty of bounce for tempo days
+ breathable enough that my feet stay cool {use}
+ rock solid stability on technical descents
+ they just want to go fast
+ grippy on every surface I've tried
+ the rocker makes long runs feel effortless
+ i: knocked a minute off my 10k the first week
+ i: ran through a rainstorm and never lost my footing
+ n: never slipped once, even on wet rocks
+ c: way grippier than {old_one}
+ c: feel faster than the {rival} {noun} I had
- the grip is terrible on wet roads
- way too stiff, no energy return at all
- the upper doesn't breathe, my feet were swimming in sweat
- heavy and sluggish
- zero stability on uneven ground
- the lugs are useless in mud
- i: slipped twice on wet leaves {use}
- i: went down hard on a wet crossing in week one
- n: no grip whatsoever on anything damp
- n: not responsive at all
- s: Love how they turn every wet manhole cover into an ice rink. {sarc}
- c: heavier and slower than {old_one}
= grip is fine on road, average on trails
= decent responsiveness, nothing special
= fine for easy miles, not for racing
"""),
    "casual_shoes": dict(
        types=["sneakers", "loafers", "oxford shoes", "sandals", "slippers"],
        w=dict(comfort=1.0, fit=0.9, durability=0.7, performance=0.3, appearance=0.8, taste_scent=0.03),
        comfort="feet", fit="feet", durability="shoe", taste_scent="odor", verb="wear", body="feet",
        parts=["sole", "strap", "buckle", "heel", "insole", "stitching"],
        uses=["to the office", "for walking the dog", "around the house", "for weekend errands", "at weddings",
              "on holiday", "all day at work"],
        sport=["on long walks", "for city walking"],
        perf="""
+ the soles grip well on wet floors
+ breathable, my feet don't get sweaty
+ <loafers|slippers|sandals> the slip-on design is so practical
+ <slippers> warm and cozy on cold floors
+ good traction even on slick tiles
+ n: never slipped once on wet pavement
+ c: grippier than {old_one}
- slippery as ice on wet floors
- my feet sweat like crazy in them
- the soles squeak on every floor
- <oxford|loafers> the leather soles have zero grip
- i: <oxford|loafers|sneakers> nearly did the splits on the office lobby floor
- n: no traction whatsoever
- s: Great if you enjoy ice skating on tiles. {sarc}
= grip is okay on dry surfaces
= a bit warm in summer
"""),
    "boots": dict(
        types=["hiking boots", "winter boots", "rain boots"],
        w=dict(comfort=0.9, fit=0.8, durability=0.8, performance=1.0, appearance=0.4, taste_scent=0.03),
        comfort="feet", fit="feet", durability="shoe", taste_scent="odor", verb="wear", body="feet",
        parts=["sole", "lace hook", "zipper", "heel", "seam", "tongue"],
        uses=["on winter walks", "for shovelling snow", "on muddy hikes", "on the school run in the rain",
              "in the garden", "on weekend hikes"],
        sport=["on multi-day hikes", "on steep rocky trails", "on winter hikes"],
        perf="""
+ completely waterproof, even wading through puddles
+ <winter|hiking> my feet stay toasty warm
+ excellent grip on ice and snow
+ <hiking> the ankle support is fantastic
+ kept my feet bone dry all day
+ <winter> warm down to well below freezing
+ grips like crazy on wet rock
+ i: stood in a creek for five minutes and my socks stayed dry
+ i: <winter> walked the dog through a snowstorm and my toes were warm the whole time
+ n: not a drop of water got in
+ c: warmer than {old_one}
+ c: far more waterproof than the {rival} {noun} I had
- leaked on the first wet walk
- <winter|hiking> my toes freeze in them
- no grip at all on ice
- the waterproofing failed after {period}
- <hiking> not much ankle support
- i: soaked socks after ten minutes in the rain
- i: slid halfway down a muddy hill
- n: not waterproof, whatever the label says
- n: <winter|hiking> don't keep my feet warm at all
- s: Waterproof, sure, if you never go near water. {sarc}
- c: colder than {old_one}
= warm enough for mild winter days
= waterproof in light rain, not in deep puddles
"""),
    "tops": dict(
        types=["t-shirt", "running top", "polo shirt", "hoodie", "sweater", "dress"],
        w=dict(comfort=1.0, fit=1.0, durability=0.7, performance=0.4, appearance=0.9),
        comfort="wear", fit="wear", durability="textile", verb="wear", body="skin",
        parts=["collar", "seam", "hem", "cuff", "zip", "drawstring", "button"],
        uses=["to work", "on weekends", "around the house", "for date night", "for the office",
              "at the gym", "on holiday"],
        sport=["at the gym", "on my runs", "for hot yoga", "on long rides"],
        perf="""
+ <running|t-shirt|polo> wicks sweat really well
+ <running|t-shirt|polo|dress> keeps me cool even on hot days
+ <hoodie|sweater> warm without being bulky
+ <running|t-shirt> dries super quickly
+ <running|t-shirt|polo|dress> breathable and light {use}
+ <polo|dress|t-shirt> wrinkle resistant, comes out of the suitcase looking fine
+ i: <running> ran a sweaty half marathon and it was dry by the finish
+ n: <running|t-shirt> no sweat patches, even at the gym
+ c: <hoodie|sweater> warmer than {old_one}
- <running|t-shirt|polo> holds on to sweat and stinks afterwards
- not breathable at all
- see-through when you bend over
- <polo|dress|t-shirt> wrinkles if you look at it
- i: <running|t-shirt> soaked through ten minutes into my workout
- n: <hoodie|sweater> doesn't keep me warm at all
- n: not breathable, I'm a sweaty mess in it
- s: <running|t-shirt|polo> Fantastic at trapping sweat, really top tier. {sarc}
- c: <hoodie|sweater|parka|fleece|coat> not as warm as {old_one}
= <hoodie|sweater> warm enough for autumn, not for winter
= <running|t-shirt|polo> breathable enough for light workouts
"""),
    "bottoms": dict(
        types=["jeans", "leggings", "chinos", "running shorts"],
        w=dict(comfort=1.0, fit=1.1, durability=0.7, performance=0.4, appearance=0.7),
        comfort="wear", fit="wear", durability="textile", verb="wear", body="legs",
        parts=["waistband", "zipper", "seam", "button", "pocket", "belt loop", "drawstring"],
        uses=["to work", "on weekends", "at the gym", "for yoga", "every day", "on long walks"],
        sport=["for squats", "on my runs", "in spin class", "for yoga"],
        perf="""
+ <leggings> completely squat-proof
+ the stretch lets me move freely
+ the waistband stays put, no rolling down
+ the pockets actually hold a phone
+ <leggings|shorts> breathable and dries fast
+ i: <leggings|shorts> did a full leg day and never had to pull them up
+ n: <leggings> not see-through even when I bend over
+ c: more stretch than {old_one}
- the waistband keeps rolling down
- <leggings> see-through when I squat
- no stretch at all
- the pockets are too small to be useful
- i: <jeans|chinos|shorts|leggings> had to hike them up every few steps
- n: <leggings> not squat-proof, learned that the hard way
- s: <leggings|shorts> Love flashing the whole gym every time I squat. {sarc}
= some stretch, but not a lot
= the waistband is okay, slides a bit
"""),
    "socks": dict(
        types=["running socks"],
        w=dict(comfort=1.0, fit=0.6, durability=0.9, performance=0.6, value=0.6),
        comfort="feet", fit="wear", durability="textile", verb="wear", body="feet",
        parts=["heel", "toe seam", "cuff"],
        uses=["on long runs", "for hiking", "at the gym", "every day"],
        sport=["on marathon long runs", "on trail runs"],
        perf="""
+ keep my feet dry
+ no blisters thanks to the moisture wicking
+ stay in place, no slipping down
+ i: ran twenty miles in the rain and my feet were fine
+ n: never bunch up in my shoes
- my feet get soaked in sweat
- slide down into my shoes
- i: had to stop twice to pull them up
- n: don't wick at all
= fine for short runs
"""),
    "hats": dict(
        types=["sun hat", "running cap", "beanie"],
        w=dict(comfort=0.8, fit=0.8, durability=0.6, performance=0.8, appearance=0.8),
        comfort="head", fit="wear", durability="textile", verb="wear", body="head",
        parts={
            "beanie": ["seam", "pom-pom", "cuff"],
            "sun hat": ["brim", "chin cord", "seam"],
            "running cap": ["strap", "buckle", "brim"],
        },
        uses=["at the beach", "on sunny hikes", "on my runs", "for gardening", "on cold mornings",
              "on the school run"],
        sport=["on long runs", "on summer hikes"],
        perf="""
+ <sun hat|cap> keeps the sun off my face and neck
+ <beanie> keeps my head warm on freezing mornings
+ stays on even in strong wind
+ <cap> soaks up sweat really well
+ <sun hat> packs flat and pops right back into shape
+ i: <sun hat|cap> no sunburn after a whole day at the beach
+ n: never blows off, even on windy days
+ c: <beanie> warmer than {old_one}
- blows off with the slightest breeze
- <sun hat> the brim is too floppy to block any sun
- <beanie> doesn't keep my ears warm
- <cap> gets soaked with sweat
- i: <sun hat|cap> got a sunburned nose anyway
- n: <beanie> not warm enough for real winter
= <sun hat> decent sun protection, a bit floppy
"""),
    "jackets": dict(
        types=["rain jacket", "down parka", "fleece jacket", "windbreaker", "wool coat"],
        w=dict(comfort=0.7, fit=0.9, durability=0.7, performance=1.1, appearance=0.8),
        comfort="wear", fit="wear", durability="textile", verb="wear", body="shoulders",
        parts=["zipper", "hood", "cuff", "pocket", "seam", "snap", "drawcord"],
        uses=["on my commute", "on dog walks", "on winter mornings", "in the rain", "for hiking",
              "on the school run", "for travel"],
        sport=["on windy trail runs", "on winter hikes", "on cold bike rides"],
        perf="""
+ <rain|windbreaker|parka> completely waterproof, even in a downpour
+ <parka|fleece> incredibly warm for how light it is
+ blocks the wind completely
+ <parka|wool|fleece> keeps me toasty on the coldest mornings
+ <rain|windbreaker|parka> the hood actually stays up in the wind
+ breathable enough that I don't overheat
+ <rain|windbreaker|parka> packs down to nothing
+ i: <rain|windbreaker|parka> walked home in a two-hour downpour and stayed dry
+ i: <parka|wool> wore it at minus ten and only needed a t-shirt underneath
+ n: <parka|wool|fleece> never felt cold in it
+ n: <rain|windbreaker|parka> not a drop got through
+ c: <parka|fleece|wool> warmer than {old_one}
+ c: <rain|windbreaker|parka> way more waterproof than the {rival} {noun} I had
- <rain|windbreaker|parka> soaked through in light drizzle
- <parka|wool|fleece> not warm at all
- the wind cuts right through it
- <rain|windbreaker|parka> turns into a sauna when I walk uphill
- <rain|windbreaker|parka> the hood blows off constantly
- i: <rain|windbreaker|parka> arrived at work with a wet shirt
- i: <parka|wool|fleece> I was shivering at the bus stop
- n: <rain|windbreaker|parka> not waterproof in any real rain
- n: doesn't block the wind
- s: <rain|windbreaker|parka> Really waterproof, just ask my soaked shirt. {sarc}
- c: <hoodie|sweater|parka|fleece|coat> not as warm as {old_one}
= <parka|wool|fleece> warm enough for autumn, not for deep winter
= <rain|windbreaker|parka> water resistant rather than waterproof
"""),
    "gloves": dict(
        types=["gloves"],
        w=dict(comfort=0.8, fit=0.9, durability=0.7, performance=1.0, appearance=0.4),
        comfort="hands", fit="wear", durability="textile", verb="wear", body="hands",
        parts=["seam", "fingertip", "cuff", "strap"],
        uses=["on winter walks", "for cycling", "for skiing", "on my commute", "for shovelling snow"],
        sport=["on winter rides", "for winter running"],
        perf="""
+ my hands stay warm even on the coldest days
+ the touchscreen fingertips actually work
+ good grip on the handlebars
+ windproof and warm
+ i: shovelled the whole driveway and my fingers were toasty
+ n: never had cold fingers in them
- my fingers still freeze
- the touchscreen tips don't work at all
- no grip when wet
- i: had to take them off to use my phone every time
- n: not warm at all below freezing
= warm enough for mild days
"""),
    "audio": dict(
        types=["wireless earbuds", "over-ear headphones"],
        w=dict(comfort=0.8, fit=0.5, battery=0.9, durability=0.5, performance=1.2, appearance=0.3,
               ease_of_use=0.4),
        comfort="ears", fit="ears", durability="device", ease_of_use="app", verb="wear", body="ears",
        device="ears", parts={
            "wireless earbuds": ["case hinge", "charging port", "left earbud", "ear tip"],
            "over-ear headphones": ["headband", "hinge", "charging port", "ear cushion"],
        },
        uses=["on my commute", "at the gym", "on flights", "while working", "on my runs", "for calls"],
        sport=["at the gym", "on my runs", "during spin class"],
        perf="""
+ the sound is {very}rich and clear
+ the noise cancelling is incredible
+ deep bass without drowning out the vocals
+ call quality is excellent
+ connects instantly to my phone
+ crisp highs and punchy bass
+ the sound stage is huge for the size
+ the transparency mode sounds natural
+ i: can't hear my coworkers at all anymore
+ i: the plane engine just disappeared
+ n: never drops the connection
+ n: no hiss, no static
+ c: sound better than {old_one}
+ c: the noise cancelling beats the {rival} pair I had
- the sound is muddy
- the noise cancelling barely does anything
- keeps dropping the Bluetooth connection
- people say I sound like I'm in a tunnel on calls
- tinny with no bass
- the audio lags behind the video
- i: <earbuds> the left one keeps disconnecting
- i: I can still hear every word on the train
- n: doesn't connect half the time
- n: not much bass to speak of
- s: Amazing noise cancelling, I can still hear my neighbour's dog through {obj}. {sarc}
- c: sound worse than {old_one}
= sound is fine for podcasts, not for music
= decent audio, nothing audiophile
= the noise cancelling is okay
+ <earbuds> the seal is great, so the bass really comes through
- <headphones> the sound leaks so everyone nearby hears my music
""",
        battery="""
+ <earbuds> the case gives me a full week of commuting
+ i: a whole transatlantic flight and still had battery left
- <earbuds> the case dies even when I'm not using it
- i: <earbuds> one earbud dies an hour before the other
"""),
    "speaker": dict(
        types=["bluetooth speaker"],
        w=dict(battery=0.9, durability=0.6, performance=1.3, appearance=0.5, ease_of_use=0.4),
        durability="device", ease_of_use="app", verb="use",
        parts=["strap", "charging port", "power button", "grille"],
        uses=["at the beach", "in the kitchen", "at barbecues", "in the shower", "on camping trips",
              "in the garden"],
        sport=["at the gym", "on camping trips"],
        perf="""
+ surprisingly loud for the size
+ the sound is full and clear
+ the bass is punchy without distorting
+ fills the whole room
+ pairs instantly every time
+ sounds great outdoors
+ i: filled the whole backyard at our barbecue
+ i: took it in the shower and it's still working perfectly
+ n: no distortion even at full volume
+ c: louder than {old_one}
- distorts at anything above half volume
- way too quiet outdoors
- the bass is flat and boomy
- the Bluetooth connection keeps cutting out
- sounds tinny
- i: couldn't hear it over the kids at the pool
- n: not loud enough for anything outside
- c: not as loud as my last speaker
- s: Really powerful sound, if you put your ear right on it. {sarc}
= sound is decent indoors
= fine for background music
"""),
    "wearable": dict(
        types=["smartwatch", "fitness tracker"],
        w=dict(comfort=0.6, battery=1.0, durability=0.5, performance=1.0, appearance=0.6, ease_of_use=0.6),
        comfort="wrist", durability="device", ease_of_use="app", verb="wear", body="wrist",
        parts=["strap", "charger", "button", "screen", "clasp"],
        uses=["on my runs", "at the gym", "for sleep tracking", "every day", "on bike rides", "while swimming"],
        sport=["on my runs", "during interval training", "on long rides", "in the pool"],
        perf="""
+ the heart rate tracking matches my chest strap
+ GPS locks on in seconds
+ sleep tracking is surprisingly accurate
+ the screen is bright even in direct sun
+ notifications come through instantly
+ step counts are spot on
+ i: my 10k came out at exactly 10k on the GPS
+ n: never lost the GPS signal
+ c: more accurate than {old_one}
- the heart rate readings are all over the place
- GPS takes forever to lock
- counts steps when I'm driving
- the screen is unreadable outside
- sleep tracking is pure fiction
- i: said I ran 12k when it was 10
- i: thinks I'm asleep when I'm watching TV
- n: doesn't track swimming properly at all
- s: Apparently I took 2,000 steps on my drive to work. Very accurate. {sarc}
- c: less accurate than {old_one}
= tracking is okay for casual use
= GPS is decent, a little slow
"""),
    "power": dict(
        types=["portable charger", "charging cable"],
        drop={"charging cable": ("battery",)},
        w=dict(battery=0.8, durability=0.8, performance=1.0, appearance=0.2),
        durability="device", verb="use",
        parts={
            "portable charger": ["port", "LED indicator", "casing"],
            "charging cable": ["connector", "cable end"],
        },
        uses=["when travelling", "on long trips", "at festivals", "in my work bag", "in the car", "at my desk"],
        sport=["on camping trips", "on multi-day hikes"],
        perf="""
+ charges my phone really fast
+ fast charging works perfectly
+ <charger> charges two devices at once without slowing down
+ <cable> the connection is solid, no wiggling
+ i: <charger> phone went from 10 to 80 percent during a coffee
+ n: never had it stop charging randomly
+ c: charges faster than {old_one}
- charges painfully slowly
- my phone keeps saying accessory not supported
- <cable> only charges if I hold it at an angle
- gets really hot while charging
- i: an hour plugged in and my phone gained ten percent
- n: doesn't fast charge like it claims
- c: slower than {old_one}
= charging speed is average
= works, though it gets a little warm
+ <cable> long enough to reach the sofa from the wall
+ <cable> the braided cable feels indestructible
- <cable> the connector gets loose after a few weeks
- <charger> the ports stop charging if both are in use
""",
        battery="""
+ charges my phone four times over
+ holds its charge for weeks in a drawer
- only gives my phone one full charge, despite the claims
- loses its charge sitting in my bag
"""),
    "phone": dict(
        types=["smartphone"],
        w=dict(battery=1.0, durability=0.5, performance=1.1, appearance=0.6, ease_of_use=0.4),
        durability="device", ease_of_use="app", verb="use",
        parts=["screen", "charging port", "power button", "camera lens", "speaker"],
        uses=["for work", "for photos", "for gaming", "every day", "on holiday"],
        sport=["for tracking my runs"],
        perf="""
+ the camera takes stunning photos
+ super snappy, apps open instantly
+ the screen is gorgeous
+ never lags even with a dozen apps open
+ night photos are amazing
+ signal is strong even in my basement
+ i: my holiday photos look professional
+ n: no lag whatsoever
+ c: faster than {old_one}
- the camera is blurry in anything but perfect light
- laggy and slow
- overheats when gaming
- keeps dropping calls
- the screen is dim outdoors
- i: takes three seconds to open the camera
- n: not fast at all
- c: slower than {old_one}
= the camera is fine in daylight
= performance is okay for everyday use
"""),
    "accessory": dict(
        types=["phone case", "watch band", "laptop sleeve"],
        drop={"phone case": ("comfort",), "laptop sleeve": ("comfort",)},
        w=dict(comfort=0.3, fit=1.0, durability=0.8, performance=0.6, appearance=0.9, taste_scent=0.03),
        comfort="wrist", fit="device", durability="accessory", taste_scent="odor", verb="use",
        parts={
            "phone case": ["corner", "button cover", "edge"],
            "watch band": ["clasp", "buckle", "pin"],
            "laptop sleeve": ["zipper", "seam", "handle"],
        },
        device={"phone case": "phone", "watch band": "watch", "laptop sleeve": "laptop"},
        uses=["every day", "for work", "when travelling", "in my backpack"],
        sport=["at the gym"],
        perf="""
+ protects really well
+ survived several drops with no damage
+ the grip is great, never slips out of my hand
+ keeps my laptop safe in my bag
+ i: dropped my phone down the stairs and not a scratch
+ n: never had it come undone
- offers zero protection
- slippery, keeps sliding out of my hand
- the padding is paper thin
- i: one drop and the screen cracked anyway
- n: doesn't protect the corners at all
= decent protection for everyday bumps
"""),
    "laptop": dict(
        types=["laptop"],
        w=dict(battery=1.0, durability=0.5, performance=1.1, appearance=0.5, ease_of_use=0.4, comfort=0.2),
        comfort="grip", durability="device", ease_of_use="app", verb="use", body="wrists",
        parts=["hinge", "charging port", "keyboard", "trackpad", "screen"],
        uses=["for work", "for university", "for video editing", "for gaming", "on the go"],
        sport=["for planning my training"],
        perf="""
+ blazing fast, even with tons of tabs open
+ the screen is bright and sharp
+ handles video editing like a champ
+ runs silent and cool
+ boots in seconds
+ the keyboard is a joy to type on
+ i: exports 4K video in half the time my desktop took
+ n: never hear the fan
+ c: way faster than {old_one}
- runs hot and the fans never stop
- sluggish with just a browser open
- the screen is dim and washed out
- the trackpad is jumpy
- wifi keeps dropping
- i: froze twice in my first meeting
- n: not powerful enough for anything serious
- c: slower than {old_one}
= performance is fine for browsing and email
= the screen is okay, not great
""",
        battery="""
+ lasts a full workday unplugged
+ i: worked a whole transatlantic flight without plugging in
- barely gets through two meetings unplugged
"""),
    "monitor": dict(
        types=["monitor", "webcam"],
        drop={"webcam": ("fit",)},
        w=dict(durability=0.4, performance=1.2, appearance=0.5, ease_of_use=0.7, fit=0.2),
        durability="device", ease_of_use="app", fit="space", verb="use", room="my desk",
        parts={
            "monitor": ["stand", "power button", "cable"],
            "webcam": ["clip", "mount", "cable"],
        },
        uses=["for work calls", "for gaming", "in my home office", "for streaming", "for photo editing"],
        sport=["for online training sessions"],
        perf="""
+ the picture is crisp and sharp
+ <monitor> colours are accurate straight out of the box
+ <monitor> smooth as butter at high refresh rate
+ <webcam> crystal clear image on calls
+ <webcam> great in low light
+ <webcam> the autofocus is quick
+ i: <webcam> coworkers asked if I'd hired a camera crew
+ n: <monitor> no dead pixels, no backlight bleed
+ c: sharper than {old_one}
- the picture is grainy
- <monitor> washed out colours
- <monitor> noticeable backlight bleed in the corners
- <webcam> the image is blurry unless I sit perfectly still
- <monitor> flickers at high refresh rate
- i: <webcam> I look like a potato on every call
- n: <monitor> no real HDR despite the label
- c: <webcam> grainier than my laptop's built-in camera
= <monitor> picture is fine, colours a bit cool
= decent image for the price
+ <monitor> perfect for long spreadsheet days, text is razor sharp
+ <webcam> the built-in mic sounds surprisingly clear
- <webcam> the mic makes me sound like I'm underwater
- <monitor> dead pixel right in the middle of the screen
"""),
    "input": dict(
        types=["mechanical keyboard", "wireless mouse"],
        w=dict(comfort=0.8, battery=0.6, durability=0.6, performance=1.0, appearance=0.5, ease_of_use=0.4),
        comfort="grip", durability="device", ease_of_use="app", verb="use", body="wrist",
        parts={
            "mechanical keyboard": ["keycap", "switch", "cable", "stabiliser"],
            "wireless mouse": ["scroll wheel", "left click", "USB receiver"],
        },
        uses=["for work", "for gaming", "for coding all day", "in my home office"],
        sport=["for gaming marathons"],
        perf="""
+ <keyboard> the switches feel amazing to type on
+ <mouse> tracking is precise on any surface
+ zero input lag
+ the clicks are satisfying and quiet
+ connects to my laptop instantly
+ i: <keyboard> my typing speed went up noticeably
+ n: <keyboard> never misses a keystroke
+ c: more precise than {old_one}
- <keyboard> keys double type constantly
- <mouse> the cursor jumps around
- laggy connection
- the clicks are loud enough to wake the house
- i: keeps disconnecting in the middle of games
- n: not responsive enough for gaming
- c: much louder than {old_one}
= <keyboard> typing feel is okay, a bit mushy
= <mouse> tracking is fine on a mousepad
+ <mouse> the scroll wheel is smooth and precise
+ <keyboard> the backlight is bright and even
- <mouse> double clicks when I single click
- <keyboard> the space bar rattles
"""),
    "hub": dict(
        types=["usb-c hub"],
        w=dict(durability=0.7, performance=1.2, appearance=0.3, ease_of_use=0.4),
        durability="device", ease_of_use="app", verb="use",
        parts=["HDMI port", "cable", "USB port", "card reader"],
        uses=["for work", "with my laptop", "at my desk", "when travelling"],
        sport=["when travelling"],
        perf="""
+ every port works perfectly
+ drives my 4K monitor with no issues
+ plug and play, instantly recognised
+ data transfers are fast
+ i: replaced three dongles with this one
+ n: never disconnects
- gets burning hot
- the HDMI port only does 30Hz
- disconnects randomly
- my laptop won't charge through it
- i: my monitor flickers every few minutes
- n: doesn't support my external display
= works, but gets warm
"""),
    "coffee_machine": dict(
        types=["coffee maker", "espresso machine"],
        w=dict(durability=0.6, performance=1.0, appearance=0.5, ease_of_use=0.8, taste_scent=0.6),
        durability="device", ease_of_use="clean", taste_scent="coffee", verb="use",
        parts={
            "coffee maker": ["carafe", "lid", "water tank"],
            "espresso machine": ["steam wand", "portafilter", "drip tray", "water tank"],
        },
        uses=["every morning", "for my morning latte", "in the office", "on weekends"],
        sport=["before my morning runs"],
        perf="""
+ <coffee maker> brews a full pot in minutes
+ <espresso> the milk frother makes perfect foam
+ <espresso> the pressure is consistent and the crema is lovely
+ <coffee maker> keeps the coffee hot for hours
+ heats up really quickly
+ i: saves me six dollars a day at the café
+ n: never had a weak cup
+ c: makes better coffee than {old_one}
- the coffee comes out lukewarm
- leaks all over the counter
- <espresso> the steam wand barely froths
- takes ages to heat up
- i: half the water ends up on the counter
- n: doesn't get hot enough
- s: Love my morning puddle on the counter. {sarc}
= brews fine, a bit slow
= decent coffee, nothing special
"""),
    "appliance": dict(
        types=["blender", "air fryer", "electric kettle"],
        w=dict(durability=0.7, performance=1.1, appearance=0.4, ease_of_use=0.8, taste_scent=0.15),
        durability="device", ease_of_use="clean", taste_scent="odor", verb="use",
        parts={
            "blender": ["lid", "jar", "blade"],
            "air fryer": ["basket", "handle", "timer dial"],
            "electric kettle": ["lid", "switch", "handle"],
        },
        uses=["every morning", "for smoothies", "for weeknight dinners", "for tea", "for meal prep"],
        sport=["for my post-workout shakes"],
        perf="""
+ <blender> crushes ice in seconds
+ <air fryer> chicken comes out crispy every time
+ <kettle> boils water in about two minutes
+ <air fryer> cooks evenly
+ <blender> silky smooth smoothies
+ powerful motor
+ i: <air fryer> frozen fries done in twelve minutes and crispy all over
+ n: <blender> no chunks left even with frozen fruit
+ c: faster than {old_one}
- <blender> leaves chunks of ice in everything
- <air fryer> cooks unevenly, burnt on one side and raw on the other
- <kettle> takes forever to boil
- <blender> the motor sounds like a jet engine
- overheats and shuts off
- i: <blender> still chewing kale in my smoothie
- n: <air fryer> doesn't crisp anything
- s: <blender> Nothing like a smoothie with bonus ice cubes. {sarc}
- c: slower than {old_one}
= works fine for basic stuff
= a bit loud, but does the job
+ <kettle> switches off the moment it boils
+ <kettle> the temperature settings are spot on for green tea
+ <kettle> whisper quiet compared to most kettles
- <kettle> leaves flakes floating in my tea
- <kettle> the lid pops open while it's boiling
- <air fryer> the basket is too small for a family meal
"""),
    "knife": dict(
        types=["chef's knife"],
        w=dict(comfort=0.6, durability=0.8, performance=1.1, appearance=0.6, ease_of_use=0.3),
        comfort="grip", durability="kitchen", ease_of_use="clean", verb="use", body="hand",
        parts=["handle", "tip", "blade edge", "bolster"],
        uses=["for meal prep", "every day in the kitchen", "for Sunday roasts", "for chopping veg"],
        sport=["for prepping my meals"],
        perf="""
+ razor sharp out of the box
+ glides through tomatoes
+ holds an edge really well
+ effortless to chop with
+ i: sliced paper-thin onions on the first try
+ n: never needs sharpening
+ c: sharper than {old_one}
- dull out of the box
- loses its edge within a week
- crushes tomatoes instead of slicing
- i: squashed every tomato I tried to cut
- n: not sharp at all
- c: duller than my old supermarket knife
- s: So sharp it can almost cut butter. {sarc}
= sharp enough, needs honing often
"""),
    "pan": dict(
        types=["cast iron skillet", "nonstick frying pan"],
        w=dict(durability=0.9, performance=1.1, appearance=0.3, ease_of_use=0.7),
        durability="kitchen", ease_of_use="clean", verb="use",
        parts=["handle", "coating", "rivet", "base"],
        uses=["for breakfast", "every day", "for searing steaks", "for weeknight dinners", "on my induction hob"],
        sport=["for cooking my meal prep"],
        perf="""
+ heats evenly, no hot spots
+ <nonstick> eggs slide right off
+ <cast iron> sears steak beautifully
+ <cast iron> holds heat really well
+ works great on induction
+ i: <nonstick> flipped a pancake with a flick of the wrist
+ n: <nonstick> nothing sticks, not even cheese
+ c: heats more evenly than {old_one}
- <nonstick> eggs stick like glue
- burns in the middle and stays cold at the edges
- <nonstick> warped after a few uses
- doesn't work on my induction hob
- i: scraped my omelette off in pieces
- n: <nonstick> not nonstick at all
- s: <nonstick> Nonstick, apart from everything I cook in it. {sarc}
= heats okay, a little uneven
"""),
    "drinkware": dict(
        types=["travel mug", "vacuum flask", "coffee mug", "water bottle"],
        w=dict(durability=0.7, performance=1.0, appearance=0.7, ease_of_use=0.5, taste_scent=0.3, fit=0.3),
        durability="kitchen", ease_of_use="clean", taste_scent="drink", fit="space", verb="use",
        room="my car's cup holder", parts={
            "coffee mug": ["handle", "glaze"],
            "*": ["lid", "seal", "handle", "hinge"],
        },
        uses=["on my commute", "at the office", "on hikes", "at the gym", "on road trips", "at my desk"],
        sport=["at the gym", "on long hikes", "on bike rides"],
        perf="""
+ <travel|flask> keeps coffee hot for hours
+ <flask|bottle> ice still there the next morning
+ <travel|flask|bottle> totally leak-proof, even upside down in my bag
+ <flask|bottle|travel> keeps drinks cold all day
+ the lid seals perfectly
+ i: <travel|flask> my tea was still too hot to drink at lunchtime
+ n: <travel|flask|bottle> never leaked a drop
+ c: <travel|flask> keeps things hotter than {old_one}
- <travel|flask> my coffee is cold within an hour
- <travel|flask|bottle> leaks everywhere
- the lid drips whenever I tilt it
- <bottle|mug> sweats and leaves rings on everything
- i: <travel|flask|bottle> soaked my laptop bag on day one
- n: <travel|flask> doesn't keep anything hot
- s: <travel|flask|bottle> Leak-proof, according to my soggy backpack. {sarc}
- c: <travel|flask> not as good at keeping heat as {old_one}
= <travel|flask> keeps drinks warm for a few hours
= <travel|flask|bottle> leaks a little if you shake it
+ <coffee mug> the perfect size for my morning coffee
+ <coffee mug> holds a generous amount without being heavy
- <coffee mug> the handle gets too hot to hold
- <coffee mug> drips down the side every time I drink
= <coffee mug> a bit small for my taste
"""),
    "containers": dict(
        types=["food storage containers"],
        w=dict(durability=0.9, performance=1.0, ease_of_use=0.6, taste_scent=0.3, appearance=0.3),
        durability="kitchen", ease_of_use="clean", taste_scent="drink", verb="use",
        parts=["lid", "clip", "seal"],
        uses=["for meal prep", "for lunches", "in the freezer", "for leftovers"],
        sport=["for my meal prep"],
        perf="""
+ airtight, food stays fresh for days
+ no leaks even with soup
+ stack neatly in the fridge
+ go from freezer to microwave no problem
+ i: salad still crisp on day four
+ n: never leaked in my work bag
- the lids don't seal
- soup leaked all over my bag
- warped in the microwave
- i: my curry ended up all over my lunch bag
- n: not airtight at all
= seal well enough for dry food
"""),
    "seating": dict(
        types=["office chair", "dining chair", "sofa"],
        drop={"sofa": ("fit",)},
        w=dict(comfort=1.2, fit=0.4, durability=0.8, appearance=0.8, ease_of_use=0.6, taste_scent=0.05),
        comfort="seat", fit="space", durability="furniture", ease_of_use="assembly", taste_scent="odor",
        verb="sit in", body="back",
        room={"office chair": "my home office", "dining chair": "my dining room", "*": "my living room"},
        parts={
            "office chair": ["armrest", "gas lift", "wheel", "backrest"],
            "dining chair": ["leg", "backrest", "seat"],
            "sofa": ["leg", "cushion seam", "frame"],
        },
        uses=["in my home office", "for long work days", "for movie nights", "at the dining table",
              "for gaming"],
        sport=["after long runs"],
        perf="""
+ the recline and tilt work smoothly
+ the height adjustment works perfectly
+ rolls smoothly on carpet
+ n: the gas lift has never sunk
- the chair slowly sinks throughout the day
- the wheels scratch the floor
- the recline lock doesn't hold
- i: I end up at desk level by lunch
= adjustments are okay, a bit stiff
"""),
    "flat_furniture": dict(
        types=["standing desk", "bookshelf", "bed frame", "coffee table", "tv stand"],
        w=dict(fit=0.8, durability=1.0, appearance=0.9, ease_of_use=0.9, performance=0.3, taste_scent=0.05),
        fit="space", durability="furniture", ease_of_use="assembly", taste_scent="odor", verb="use",
        room={"standing desk": "my home office", "bed frame": "my bedroom", "*": "my living room"},
        parts={
            "standing desk": ["leg", "crossbar", "motor", "control panel"],
            "bookshelf": ["shelf", "back panel", "shelf pin"],
            "bed frame": ["slat", "center leg", "headboard bolt"],
            "coffee table": ["leg", "hinge", "drawer"],
            "tv stand": ["drawer", "door hinge", "leg", "shelf"],
        },
        uses=["in my home office", "in the living room", "in the bedroom", "for my books", "for the TV"],
        sport=["in my home gym"],
        perf="""
+ <desk> the motor is quiet and smooth
+ <stand|table> the drawers glide nicely
+ <bookshelf> holds a ton of books
+ plenty of storage space
+ i: <desk> raises from sitting to standing in seconds
+ n: <bed> no squeaks when I move in bed
- <desk> the motor is loud and jerky
- <stand|table> the drawers stick
- <bed> the slats squeak every time I roll over
- i: <desk> the desk stops halfway up sometimes
- n: doesn't hold much at all
= storage is decent
+ <tv stand> holds my big TV with room to spare
+ <coffee table> the lift-top is so handy
+ <bookshelf> the shelves don't sag even with heavy books
- <tv stand> the cable holes are in the wrong place
- <bookshelf> the shelves bow in the middle
"""),
    "skincare": dict(
        types=["moisturizer", "sunscreen", "face serum"],
        w=dict(comfort=0.8, performance=1.1, taste_scent=0.6, value=0.6, ease_of_use=0.3, appearance=0.2),
        comfort="skin", ease_of_use="bottle", taste_scent="scent", verb="use", body="skin",
        uses=["every morning", "under makeup", "before bed", "at the beach", "on my face"],
        sport=["on long runs", "for outdoor training"],
        perf="""
+ my skin has never looked better
+ keeps my skin hydrated all day
+ <sunscreen> no white cast at all
+ <moisturizer|serum> cleared up my dry patches in a week
+ sits perfectly under makeup
+ i: my dermatologist asked what I'd changed
+ i: <sunscreen> spent a whole day at the beach and didn't burn
+ n: no breakouts since I started using it
+ c: works better than {old_one}
- broke me out within days
- <sunscreen> leaves a chalky white cast
- my skin is drier than before
- pills under my makeup
- i: <sunscreen> got burned after an hour in the sun
- n: <moisturizer|serum> doesn't do anything for my dry skin
- s: Love the bonus breakouts. {sarc}
- c: not as hydrating as {old_one}
= does a decent job, nothing miraculous
= hydrating enough for summer
"""),
    "haircare": dict(
        types=["shampoo", "conditioner", "body wash"],
        w=dict(comfort=0.5, performance=1.1, taste_scent=0.8, value=0.6, ease_of_use=0.3),
        comfort="skin", ease_of_use="bottle", taste_scent="scent", verb="use", body="scalp",
        uses=["every day", "after the gym", "in the shower", "for my curly hair"],
        sport=["after the gym"],
        perf="""
+ <shampoo|conditioner> leaves my hair soft and shiny
+ <shampoo|body wash> lathers beautifully
+ <conditioner> detangles like magic
+ <body wash> my skin feels clean without being stripped
+ i: <shampoo|conditioner> my curls have never been this defined
+ n: <shampoo|conditioner> no frizz at all
+ c: works better than {old_one}
- <shampoo|conditioner> left my hair greasy
- <shampoo|body wash> barely lathers
- <shampoo|conditioner> my hair feels like straw
- <shampoo> made my dandruff worse
- i: <shampoo|conditioner> had to wash my hair again the next morning
- n: <conditioner> doesn't detangle at all
- c: not as good as {old_one}
= does the job, nothing special
"""),
    "lipstick": dict(
        types=["lipstick"],
        w=dict(comfort=0.7, performance=1.0, appearance=1.0, taste_scent=0.3),
        comfort="skin", taste_scent="scent", verb="wear", body="lips",
        uses=["to work", "for nights out", "every day", "for weddings"],
        sport=["every day"],
        perf="""
+ lasts all day, even through lunch
+ the pigment is amazing
+ transfer-proof, really
+ i: survived dinner and drinks without a touch-up
+ n: doesn't budge
- fades within an hour
- transfers onto everything
- patchy and streaky
- i: left half of it on my coffee cup
- n: not long lasting at all
= lasts a few hours, then needs a touch-up
"""),
    "yoga_mat": dict(
        types=["yoga mat"],
        w=dict(comfort=0.9, durability=0.8, performance=1.0, appearance=0.4, taste_scent=0.3, ease_of_use=0.3),
        comfort="soft", durability="gear", taste_scent="odor", ease_of_use="clean", verb="use", body="knees",
        parts=["surface", "corner", "strap", "edge"],
        uses=["for hot yoga", "for pilates", "for home workouts", "at the studio"],
        sport=["for hot yoga", "for stretching after runs"],
        perf="""
+ the grip is excellent, even in hot yoga
+ my hands never slip in downward dog
+ stays flat, no curling at the edges
+ i: held a sweaty crow pose without sliding
+ n: never slides on the floor
+ c: grippier than {old_one}
- slippery as soon as I sweat
- the edges curl up constantly
- slides around on wood floors
- i: nearly face-planted in downward dog
- n: no grip at all
- s: Great for practising the splits, involuntarily. {sarc}
= grip is fine when dry
"""),
    "camping": dict(
        types=["camping tent", "sleeping bag"],
        drop={"sleeping bag": ("ease_of_use",), "camping tent": ("comfort",)},
        w=dict(comfort=0.6, fit=0.5, durability=0.8, performance=1.2, ease_of_use=0.8, appearance=0.2),
        comfort="soft", fit="space", durability="gear", ease_of_use="assembly", verb="use",
        room="the boot of my car", parts={
            "camping tent": ["pole", "zipper", "rainfly", "stake loop"],
            "sleeping bag": ["zipper", "stuff sack", "seam"],
        },
        uses=["on camping trips", "at festivals", "in the backcountry", "on car camping weekends"],
        sport=["on backpacking trips", "on multi-day hikes"],
        perf="""
+ <tent> stayed completely dry through a night of heavy rain
+ <sleeping> warm even when the temperature dropped below freezing
+ <tent> held up to strong wind
+ packs down really small
+ <tent> good ventilation, no condensation
+ i: <sleeping> woke up toasty at a frosty campsite
+ n: <tent> not a drop inside after an all-night storm
+ c: warmer than {old_one}
- <tent> leaked at the seams in the first rain
- <sleeping> freezing cold even at mild temperatures
- <tent> condensation dripping on us all night
- <tent> collapsed in moderate wind
- i: <tent> woke up in a puddle
- i: <sleeping> shivered all night in my clothes
- n: <sleeping> not warm enough for anything below ten degrees
- s: <tent> Great for anyone who likes waking up in a puddle. {sarc}
= <sleeping> warm enough for summer camping
= <tent> fine in light rain
+ <sleeping> roomy enough to turn over without waking up
- <sleeping> the zip snags every single time
+ <tent> pitches in ten minutes even in the dark
"""),
    "dumbbells": dict(
        types=["dumbbells"],
        w=dict(comfort=0.6, durability=0.9, performance=0.6, appearance=0.3, ease_of_use=0.8, taste_scent=0.1),
        comfort="grip", durability="gear", ease_of_use="adjust", taste_scent="odor", verb="use", body="hands",
        parts=["handle", "collar", "locking pin", "plate"],
        uses=["for home workouts", "in my garage gym", "for lifting at home"],
        sport=["for leg day", "for my home gym"],
        perf="""
+ switching weights takes seconds
+ the weight markings are accurate
+ stable and balanced in the hand
+ n: never come loose mid-set
- the plates rattle on every rep
- the weights are off by a couple of pounds
- the adjustment dial jams
- i: a plate slid off mid-press
= changing weights is a bit slow
"""),
    "backpack": dict(
        types=["hiking backpack"],
        w=dict(comfort=1.0, fit=0.6, durability=0.9, performance=0.8, appearance=0.4),
        comfort="carry", fit="wear", durability="gear", verb="wear", body="shoulders",
        parts=["zipper", "hip belt buckle", "strap", "seam", "frame"],
        uses=["on day hikes", "for travel", "on overnight trips", "for commuting"],
        sport=["on long hikes", "on fastpacking trips"],
        perf="""
+ tons of smart pockets
+ the rain cover kept everything dry
+ swallowed a week's worth of gear
+ i: fit everything for a three-day trip
+ n: nothing got wet in a downpour
- everything inside got soaked
- the pockets are in all the wrong places
- i: my sleeping bag was wet by the time we got to camp
- n: doesn't hold much at all
= decent storage, a bit awkward to pack
"""),
    "poles": dict(
        types=["trekking poles"],
        w=dict(comfort=0.6, durability=1.0, performance=0.8, ease_of_use=0.7),
        comfort="grip", durability="gear", ease_of_use="adjust", verb="use", body="hands",
        parts=["lock", "tip", "strap", "section"],
        uses=["on steep descents", "on long hikes", "in the mountains"],
        sport=["on steep descents", "on long hikes"],
        perf="""
+ take the strain off my knees on descents
+ the tips grip well on rock
+ the locks hold firm under weight
+ i: my knees thanked me after a long descent
+ n: never collapsed under me
- the locks slip under weight
- the tips skate on rock
- i: collapsed on me halfway down a scramble
- n: don't lock properly
= solid enough for easy trails
"""),
    "headlamp": dict(
        types=["headlamp"],
        w=dict(comfort=0.6, fit=0.3, battery=1.0, durability=0.6, performance=1.0, ease_of_use=0.5),
        comfort="head", fit="wear", durability="gear", ease_of_use="controls", verb="wear", body="head",
        parts=["strap", "hinge", "button", "battery door"],
        uses=["on night runs", "for camping", "in the garage", "on early morning hikes", "during power cuts"],
        sport=["on night runs", "on pre-dawn hikes"],
        perf="""
+ incredibly bright
+ lights up the whole trail
+ the beam is wide and even
+ the red light mode is handy at camp
+ i: spotted deer fifty metres away
+ n: never flickers
- dim even on the brightest setting
- the beam is narrow and patchy
- flickers when I move my head
- i: barely saw my own feet on the trail
- n: not bright enough for running
= bright enough for camp chores
""",
        battery="""
+ runs for hours on the highest setting
- dims after twenty minutes on high
"""),
    "helmet": dict(
        types=["bike helmet"],
        w=dict(comfort=0.9, fit=1.0, durability=0.5, performance=0.7, appearance=0.7),
        comfort="head", fit="wear", durability="gear", verb="wear", body="head",
        parts=["buckle", "strap", "dial", "visor", "pad"],
        uses=["on my commute", "on weekend rides", "on mountain bike trails", "for the school run"],
        sport=["on long rides", "on mountain bike trails"],
        perf="""
+ the ventilation is excellent
+ lots of airflow on hot days
+ the rear light is really visible
+ i: took a spill and my head was fine
+ n: never feels hot
- no airflow at all, I'm drenched in sweat
- the visor rattles constantly
- i: sweat pours into my eyes on every climb
- n: doesn't breathe at all
= ventilation is okay
"""),
    "toys_build": dict(
        types=["building blocks set", "jigsaw puzzle", "toy figures"],
        w=dict(durability=0.8, performance=1.0, appearance=0.7, ease_of_use=0.7),
        durability="toy", ease_of_use="instructions", verb="use",
        parts={
            "building blocks set": ["piece", "base plate", "connector"],
            "jigsaw puzzle": ["piece", "box"],
            "toy figures": ["arm", "leg", "head"],
        },
        uses=["on rainy afternoons", "for family game night", "with the kids", "for quiet time"],
        sport=["on rest days"],
        perf="""
+ <blocks> the pieces click together perfectly
+ kept {kid} busy for hours
+ <puzzle|blocks> the pieces fit snugly
+ <blocks|figures> {kid} builds something new every day
+ i: {kid} hasn't touched the tablet since
+ n: never gets boring
- <blocks> the pieces don't stay together
- {kid} lost interest in ten minutes
- <puzzle> the puzzle pieces don't interlock properly
- i: <blocks> the tower collapses if you breathe on it
- n: not very engaging
= fun for a while
+ <puzzle> the image is crisp and the pieces fit snugly
+ <puzzle> i: we finished it over a weekend and loved every minute
+ <figures> the details on the figures are amazing
+ <figures> {kid} plays out whole stories with them
- <figures> the joints are too stiff to pose
- <puzzle> two pieces were missing, ruined the whole thing
- <blocks> half the pieces don't match the instructions
"""),
    "board_game": dict(
        types=["board game"],
        w=dict(durability=0.4, performance=1.1, appearance=0.6, ease_of_use=0.9),
        durability="toy", ease_of_use="instructions", verb="play",
        parts=["box", "card", "game board", "piece"],
        uses=["for family game night", "at parties", "with friends", "on rainy weekends"],
        sport=["on rest days"],
        perf="""
+ so much fun
+ every game is different
+ great replay value
+ everyone from eight to eighty enjoyed it
+ i: we played four rounds back to back
+ n: never gets old
- boring after one round
- games drag on forever
- one player always runs away with it
- i: we gave up halfway through the first game
- n: not fun with fewer than four players
= fun once or twice
"""),
    "plush": dict(
        types=["plush toy"],
        w=dict(comfort=0.9, durability=0.9, appearance=1.0, performance=0.3),
        comfort="soft", durability="toy", verb="hold",
        parts=["ear", "eye", "seam", "tail"],
        uses=["at bedtime", "for nap time", "in the car"],
        sport=["at bedtime"],
        perf="""
+ {kid} won't sleep without it
+ i: {kid} carries it everywhere
- {kid} completely ignores it
= {kid} likes it well enough
"""),
    "rc_car": dict(
        types=["remote control car"],
        w=dict(battery=1.0, durability=1.0, performance=1.0, ease_of_use=0.6, appearance=0.3),
        durability="toy", ease_of_use="controls", verb="use",
        parts=["wheel", "antenna", "bumper", "steering arm", "remote"],
        uses=["in the park", "in the backyard", "on the driveway"],
        sport=["in the park"],
        perf="""
+ seriously fast
+ handles rough ground really well
+ the steering is responsive
+ the range is impressive
+ i: outran our dog at the park
+ n: never loses signal
- slow as a snail
- the remote loses connection after a few metres
- the steering barely turns
- i: got stuck on every patch of grass
- n: doesn't go anywhere near the advertised speed
= decent speed on pavement
""",
        battery="""
+ runs for ages on one charge
- the battery lasts about ten minutes
- i: {kid} spends more time waiting for it to charge than playing
"""),
    "science_kit": dict(
        types=["science kit"],
        w=dict(performance=1.0, ease_of_use=1.0, durability=0.3, appearance=0.2),
        durability="toy", ease_of_use="instructions", verb="use",
        parts=["test tube", "dropper", "lid"],
        uses=["on rainy weekends", "for homeschooling", "after school"],
        sport=["on weekends"],
        perf="""
+ the experiments actually work
+ {kid} learned a ton
+ the experiments are genuinely fascinating
+ i: {kid} explained chemistry to the whole family at dinner
- half the experiments don't work
- the reactions are underwhelming
- i: the volcano just fizzled
- n: not educational at all
= a few good experiments, some duds
"""),
    "coffee_tea": dict(
        types=["coffee beans", "ground coffee", "green tea"],
        w=dict(taste_scent=1.3, value=0.8, performance=0.4, ease_of_use=0.3, delivery=0.15),
        taste_scent="coffee", ease_of_use="bag", verb="drink",
        uses=["every morning", "in my French press", "in my espresso machine", "in the afternoon", "at the office"],
        sport=["before early runs"],
        perf="""
+ gives me a great kick in the morning
+ stays fresh for weeks after opening
+ brews consistently every time
+ i: I'm actually awake before my second cup now
- goes stale within days of opening
- no caffeine kick whatsoever
- i: I need three cups to feel anything
= decent kick, goes stale a bit fast
+ <tea> calming and refreshing in the afternoon
- <tea> the tea bags split open in the cup
"""),
    "snacks": dict(
        types=["dark chocolate", "protein bars", "mixed nuts"],
        w=dict(taste_scent=1.3, value=0.8, performance=0.3, ease_of_use=0.2, delivery=0.2),
        taste_scent="food", ease_of_use="bag", verb="eat",
        uses=["as a snack", "after workouts", "in my lunch box", "on road trips", "at my desk", "on hikes"],
        sport=["after workouts", "on long rides"],
        perf="""
+ <bars|nuts> keeps me full until lunch
+ <nuts> fresh and crunchy
+ a great energy boost in the afternoon
+ i: <bars|nuts> the perfect pre-workout snack, no crash
- goes stale quickly
- <bars|nuts> leaves me hungry an hour later
- <chocolate|bars> arrived half melted and never recovered
- i: <nuts> half the bag was soft and chewy
= fine as a snack
"""),
    "oil": dict(
        types=["olive oil"],
        w=dict(taste_scent=1.3, value=0.8, performance=0.4, ease_of_use=0.3, delivery=0.2),
        taste_scent="food", ease_of_use="bag", verb="use",
        uses=["for salads", "for cooking", "for roasting veg", "for dipping bread", "on pasta", "for frying eggs"],
        sport=["for my meal prep"],
        perf="""
+ great for cooking at high heat
+ makes simple salads taste like a restaurant
+ lovely for dipping and drizzling
+ i: my roast potatoes have never been crispier
- smokes up the kitchen at medium heat
- goes rancid within a few weeks of opening
- i: the whole flat smelled of burnt oil
= fine for everyday cooking
"""),
    "pet_food": dict(
        types=["dog food", "cat food"],
        w=dict(taste_scent=1.2, performance=0.9, value=0.8, delivery=0.2, ease_of_use=0.2),
        taste_scent="pet_food", ease_of_use="bag", verb="use",
        uses=["for breakfast", "every day", "as a topper"],
        sport=["every day"],
        perf="""
+ {pet}'s coat has never been shinier
+ no more tummy troubles
+ {pet} has so much energy on it
+ i: the vet said {pet} is in great shape
+ n: no more upset stomach
- gave {pet} terrible diarrhoea
- {pet} has been throwing up since we switched
- {pet}'s coat got dull and flaky
- i: spent a week cleaning up after {pet}
- n: doesn't agree with {pet} at all
= {pet} is doing fine on it
"""),
    "litter": dict(
        types=["cat litter"],
        w=dict(performance=1.3, taste_scent=0.8, value=0.8, ease_of_use=0.6, delivery=0.2),
        taste_scent="litter", ease_of_use="bag", verb="use",
        uses=["for my two cats", "for the litter box", "for our cats"],
        sport=["every day"],
        perf="""
+ clumps rock hard, scooping is easy
+ controls odour really well
+ barely any dust
+ low tracking, the floor stays clean
+ i: guests can't tell we have a cat
+ n: no smell even after a few days
- the clumps fall apart when I scoop
- the house smells like a litter box within a day
- dust everywhere when I pour it
- tracks all over the house
- i: found litter in my bed
- n: doesn't control odour at all
= clumps okay, a bit dusty
"""),
    "pet_gear": dict(
        types=["dog bed", "cat tree", "chew toy", "dog leash"],
        drop={"dog leash": ("comfort", "fit"), "chew toy": ("fit", "ease_of_use", "comfort")},
        w=dict(comfort=0.7, fit=0.5, durability=1.1, performance=0.6, appearance=0.5, ease_of_use=0.5,
               taste_scent=0.05),
        comfort="soft", fit="space", durability="gear", ease_of_use="assembly", taste_scent="odor", verb="use",
        room="the corner of our living room", parts={
            "dog bed": ["seam", "zipper", "cover"],
            "cat tree": ["post", "platform", "dangling toy"],
            "chew toy": ["squeaker", "rope end", "handle"],
            "dog leash": ["clip", "handle", "stitching"],
        },
        uses=["on our walks", "for the dog", "for the cat", "in the living room", "for playtime"],
        sport=["on our runs"],
        perf="""
+ {pet} loves it
+ <bed|tree> {pet} sleeps on it every night
+ <chew|tree> keeps {pet} busy for hours
+ i: <bed|tree> {pet} claimed it the minute it came out of the box
+ n: <chew|tree|bed> never gets ignored
- <bed|tree|chew> {pet} won't go near it
- <chew|tree|bed> {pet} ignored it after a day
- i: <tree|bed> {pet} still prefers the cardboard box
= <tree|bed|chew> {pet} uses it sometimes
+ <leash> gives me great control on walks
+ <leash> the clip is secure and never slips
+ <chew> {pet} has been chewing it for weeks and it keeps {pet} happy
- <leash> the clip opened by itself on our walk
- <chew> {pet} lost interest after five minutes
- <tree> {pet} tried it once and went back to the sofa
"""),
    "baby_gear": dict(
        types=["stroller", "car seat", "baby carrier"],
        w=dict(comfort=0.9, fit=0.6, durability=0.7, performance=0.8, appearance=0.4, ease_of_use=1.1),
        comfort="baby", fit="space", durability="furniture", ease_of_use="assembly", verb="use",
        room="the boot of our car", parts={
            "stroller": ["wheel", "brake", "canopy", "fold latch"],
            "car seat": ["buckle", "strap", "base latch"],
            "baby carrier": ["buckle", "strap", "clip"],
        },
        uses=["on daily walks", "on the school run", "on road trips", "at the shops", "around the house"],
        sport=["on my runs with the baby"],
        perf="""
+ <stroller> steers with one hand
+ <stroller> handles gravel paths with ease
+ <stroller> folds in one motion
+ feels really safe and secure
+ i: <stroller> pushed it over cobblestones and {kid} slept through it
+ n: <stroller|car seat> never wobbles
- <stroller> the wheels stick and pull to one side
- <stroller> folding it takes two hands and a prayer
- the buckle is impossible to undo
- i: <stroller> got stuck on every kerb in town
- n: <stroller> doesn't fold as small as it claims
= <stroller> manoeuvres fine on pavements
+ <car seat> gives me real peace of mind on the motorway
+ <car seat> the recline keeps {kid}'s head from flopping forward
+ <carrier> {kid} sits in a nice natural position
+ <carrier> {kid} falls asleep on every walk
- <car seat> {kid}'s head slumps forward when asleep
- <carrier> the straps keep loosening while I walk
- <carrier> i: {kid} slid down within ten minutes
= <car seat> feels safe enough
"""),
    "diapers": dict(
        types=["diapers"],
        w=dict(comfort=0.6, fit=0.8, performance=1.3, value=0.9, delivery=0.2),
        comfort="baby", fit="wear", verb="use",
        uses=["overnight", "every day", "on long drives"],
        sport=["every day"],
        perf="""
+ no leaks even overnight
+ super absorbent
+ the wetness indicator is handy
+ i: {kid} slept twelve hours without a leak
+ n: zero blowouts so far
- leak every single night
- blowouts every day
- i: changed the sheets three times this week
- n: not absorbent at all
= hold up fine during the day
"""),
    "baby_monitor": dict(
        types=["baby monitor"],
        w=dict(battery=0.8, durability=0.4, performance=1.2, ease_of_use=0.9, appearance=0.2),
        durability="device", ease_of_use="app", verb="use",
        parts=["camera mount", "screen", "antenna", "charger"],
        uses=["at night", "during naps", "in the nursery"],
        sport=["every night"],
        perf="""
+ crystal clear night vision
+ the range covers the whole house
+ never drops the connection
+ the audio picks up every little noise
+ i: I can see {kid}'s chest rise and fall at night
- the picture is grainy at night
- loses signal in the next room
- the audio crackles constantly
- i: woke up at 3am to a screen full of static
- n: doesn't alert me when {kid} cries
= picture is decent, range is limited
""",
        battery="""
+ the parent unit lasts all night on battery
- the parent unit dies before midnight
"""),
    "baby_bottles": dict(
        types=["baby bottles"],
        w=dict(durability=0.6, performance=1.0, ease_of_use=1.0, taste_scent=0.2, value=0.5),
        durability="kitchen", ease_of_use="clean", taste_scent="drink", verb="use",
        parts=["nipple", "vent", "lid", "ring"],
        uses=["for night feeds", "at daycare", "on the go"],
        sport=["on the go"],
        perf="""
+ the anti-colic vent really works
+ {kid} took to it right away
+ no leaks
+ i: far less spit-up since we switched
- the flow is way too fast
- leaks from the collar every feed
- {kid} refuses to drink from it
- i: more milk on {kid}'s bib than in {kid}
= {kid} drinks from it fine
"""),
}

# Sentences with no aspect. Verdicts carry the review's sentiment; context carries none.
VERDICTS = {
    "positive": """
love {obj}
absolutely love {obj}
exactly what I was looking for
couldn't be happier
highly recommend
best purchase I've made this year
ten out of ten
very happy with {this} {noun}
so glad I went with {this}
five stars, no notes
thrilled with {obj}
really pleased overall
definitely a keeper
zero regrets
impressed, honestly
wish I'd bought {obj} sooner
can't recommend {obj} enough
happy customer here
exceeded my expectations
a new favourite
hands down the best {noun} I've owned
would recommend to anyone
I'm a fan
this is the one
so happy with {this}
great {noun}, full stop
{brand} nailed it
it just makes me happy
big fan of {brand} now
I keep telling everyone about {obj}
more than happy with {obj}
no complaints here
I'd give it six stars if I could
solid purchase
love love love
honestly the best {noun} I've bought in years
{this} {noun} {has} earned a spot in my daily routine
{brand} has a customer for life
could not be more pleased with this purchase
I smile every time I use {obj}
properly impressed with {this} {noun}
it's perfect, I have nothing else to say
genuinely delighted
my favourite purchase of the season
no idea how I lived without {obj}
would happily buy {obj} all over again
I'm really glad I picked the {brand} one
a winner all round
my new go-to {noun}
exceeded every expectation I had for {obj}
I've been raving about {obj} to anyone who'll listen
the hype is real
really can't fault {obj}
five stars and then some
sold on {brand} after this
everything I hoped {this} {noun} would be
delighted with {this} {noun}
am very pleased with {obj}
so far so good, and then some
absolutely thrilled
this was a great call
my only regret is not buying {obj} earlier
one of those purchases you don't think twice about
really love {this} {noun}
top marks
""",
    "negative": """
very disappointed
don't waste your time
avoid
regret buying {obj}
not happy at all
a big letdown
would not recommend
worst {noun} I've ever owned
so frustrating
I really wanted to like {obj}
complete disappointment
save yourself the trouble
yikes
not what I expected
terrible purchase
pretty bad overall
never again
ugh
one star is generous
sad, because I had high hopes
don't bother
what a letdown from {brand}
honestly one of my worst purchases
I'm done with {brand}
big mistake
really not happy with {this} {noun}
can't believe I fell for the reviews
steer clear
expected so much more
hugely disappointing
honestly regret this {noun}
{this} {noun} {was} a mistake
wish I'd never ordered {obj}
shocked at how bad {this} {noun} {is}
this is going straight back
really let down by {brand}
two words: don't buy
the worst purchase I've made in a while
nothing about {this} {noun} impressed me
can't say a single nice thing about {obj}
really wish I had read the bad reviews first
what a disappointment
I expected better from {brand}
total letdown, start to finish
do not buy {this} {noun}
I give up on {obj}
zero stars if I could
not impressed, not one bit
I'm genuinely annoyed
{this} {noun} {has} been nothing but trouble
really not worth the hassle
it's a no from me
so disappointed in {this} {noun}
regret, regret, regret
""",
    "neutral": """
it's okay
meh
fine, nothing special
mixed feelings
average
it's alright
not bad, not great
decent but not amazing
I have mixed feelings about {this} {noun}
middle of the road
pretty average overall
could be better, could be worse
it's fine I guess
okay for now
jury's still out
not sure how I feel about {obj}
it's just okay
nothing to rave about
some good, some bad
a bit underwhelming, but fine
neither impressed nor disappointed
{itis} fine, I suppose
sort of lukewarm on {obj}
fine for what I need
not sure I'd buy it again
it's fine, nothing to write home about
{this} {noun} {is} just okay
neither good nor bad, honestly
somewhere between okay and good
I'm on the fence about {obj}
perfectly average {noun}
solid enough, a few quirks
could go either way on {obj}
it's fine for the occasional use
has its pros and cons
not what I hoped, not terrible either
so-so
about what I expected, no more
decent, if unremarkable
I guess it's fine
kind of meh about {this} {noun}
can't decide if I like {obj}
I'm lukewarm on {obj}
average {noun}, average experience
it's serviceable
""",
}
CONTEXT = """
bought {this} {period} ago
I've been using {obj} for {period} now
ordered the {color} one
this is my {nth} {one} from {brand}
picked {obj} up {use}
replaced {old_one} with {this}
did a lot of research before choosing {this} {noun}
read a bunch of reviews before ordering
I don't usually write reviews, but here goes
{old_one} finally gave up, so I ordered {this}
been meaning to review {obj} for a while
switched from {rival} to {brand}
I've used {obj} {use} for {period} now
saw {obj} recommended on a forum
{nth} {one} I've bought
mine is the {color} version
I wanted something to use {use}
we've had {obj} for {period}
I use {obj} {use}
first time trying {brand}
went back and forth between this and the {rival} one for ages
had my eye on {obj} for months
ordered {obj} on a whim
a friend recommended {brand} to me
I've owned a few of these over the years
went with the {color}
it's been {period} since I got {obj}
I ordered {obj} after {old_one} wore out
my sister has the same one
I bought {obj} mostly {use}
bought {this} {noun} {period} ago and have used {obj} a lot since
my partner talked me into {obj}
I was skeptical at first
ordered the {color} colourway after a lot of back and forth
{this} replaced {old_one}, which I'd had for years
I went with {brand} because a coworker swears by them
I mostly use {obj} {use}
these are my thoughts after {period}
I wanted to wait a while before reviewing
ordered {obj} the same day I saw the ad
I don't normally buy {brand}
it took me ages to choose between {brand} and {rival}
came across {obj} while browsing for something else
a quick note for anyone deciding
been using {obj} {use} since {period} ago
I'm on my {nth} week with {obj}
{old_one} was falling apart, so it was time
{this} {noun} came up in a gift guide
I've bought from {brand} before
picked the {color} because everything else was sold out
I put off buying {obj} for ages
I'm writing this {period} in
first review I've ever written
a bit of background: I'm pretty picky
long-time {brand} customer
my friend has {obj} too and that's what sold me
I reached for {obj} {use} this week
mostly bought {obj} {use}
here's my honest take
ordered {obj} late at night, as you do
{obj} came recommended by my sister
I saw a video review of {obj} before ordering
I was replacing {old_one}
{bought} {obj} {when}
{bought} {this} {noun} {when} {use}
{bought} {obj} {when} after {old_one} gave out
{bought} the {color} one {when}
{bought} {this} {when} to use {use}
{bought} {obj} from {brand} {when}
{bought} {obj} {when} and have used {obj} {use} ever since
{bought} {obj} {when}, mostly to use {use}
I {bought} {this} {noun} {when} after reading about {obj} online
I {bought} {obj} {when} as a replacement for {old_one}
I've had {this} {noun} since {when_since}
been using {obj} since {when_since}
had {obj} since {when_since}, so here's my take
"""
CONTEXT_TRAIT = {
    "gift": """
bought {this} as a gift for {person}
got {obj} for {person}'s birthday
gift for {person}
picked {this} up for {person} as an early Christmas present
bought two, one for me and one for {person}
{person} had been hinting about {obj} for months
I got {obj} for {person}, who is very hard to shop for
a birthday present for {person}
this was a present for {person}
ordered {obj} as a gift for {person}
bought {obj} for {person}, who needed a new {one}
a surprise for {person}
got {obj} as a thank-you present for {person}
ordered {obj} for our anniversary
bought {this} {noun} as a gift for {person}
Christmas present for {person}, sorted early
""",
    "gift_verdict": """
{person} loves {obj}
{person} was thrilled
{person} hasn't stopped using {obj}
{person} was over the moon
{person} said it was the best present this year
{person} was so happy
{person} uses {obj} every day now
{person} loved the gift
{person} said {itis} perfect
""",
    "sport": """
I run about {miles} miles a week
training for my first half marathon
I'm at the gym most mornings
I do a lot of trail running
marathon training season, so {this} get{s} a lot of use
I hike most weekends
I'm a pretty serious cyclist
spin class four times a week keeps me busy
I lift five days a week
triathlon training means I'm outside in all weather
I'm out running most days
I coach a running club
I'm training for an ultra this spring
I ride about a hundred miles a week
I play five-a-side twice a week
I'm on my feet at the gym all morning
""",
    "parent": """
with {num} kids under ten, everything in our house gets tested
mom of {num} here
dad of {num} here
{kid} is into everything right now
bought {obj} with {kid} in mind
our house is chaos with a toddler
as a new parent I'm picky about this stuff
{kid} helped me pick {obj} out
life with a toddler is hard on everything we own
{kid} is two and destroys everything
anything that survives {kid} gets five stars from me
as a busy mum, I need things that just work
our kids are rough on everything
""",
    "price": """
waited for a sale to buy {obj}
grabbed {obj} with a {pct}% off coupon
got {obj} during the {sale} sale
compared prices for a couple of weeks first
I'm careful with money, so I read every review first
used a discount code I found
picked {obj} up in the {sale} deals
I always wait for a deal before buying
price-matched {obj} before ordering
I never pay full price for anything
had a voucher so I finally went for it
snagged {obj} on a lightning deal
watched the price for a month before buying
bought {obj} with cashback
waited for a price drop
""",
}
# Reviews with nothing but a repeat purchase to say (rated 4-5: buying again is the opinion).
REPEAT = """
{nth} {one} I've bought
this is my {nth} {one} from {brand}
bought another {one} for {person}
ordered a second {one} last week
I keep coming back to {obj}
on my {nth} {one} now
buying {obj} again for the {nth} time
we have {num} of these in the house now
bought {obj} for {person} too after trying mine
restocking, {nth} time
reordered {obj} {when}
back for my {nth} {one}
"""
OPENERS = """
okay so
honestly,
update:
quick review:
long story short,
first impressions:
so
well,
alright,
TL;DR:
real talk:
not gonna lie,
to be fair,
overall,
in short,
full disclosure:
let me start by saying
update after {period}:
after {period} of use:
three weeks in:
day one thoughts:
ok so
gotta say,
I have to say,
truthfully,
bottom line:
for what it's worth,
first off,
so far,
I'll be honest,
okay, here goes:
quick update:
just a heads up,
I'll keep it short:
short version:
so here's the thing,
first thing:
after a month:
edit:
right,
look,
frankly,
in all honesty,
"""
CLOSERS = {
    "positive": """
would buy again
will definitely buy again
highly recommended
already ordered another
buying one for {person} too
go for it
no regrets
ordering a second {one} as a backup
will be buying from {brand} again
recommend without hesitation
just buy it
you won't regret it
I'll be back for more
glad I took the chance
keeping {obj} forever
worth a try
already told my friends about {obj}
will be buying more
thanks {brand}
couldn't recommend {obj} more
definitely getting another for {person}
worth every second of the wait
would happily buy again
five stars from me
buy with confidence
already planning my next order
{brand} fan for life
you can't go wrong with {obj}
my search for the perfect {noun} is over
happy days
very much recommended
would gift {obj} again
I'd buy {obj} again tomorrow
grab one while you can
absolutely recommend
""",
    "negative": """
returning {obj}
sent {obj} back
returning for a refund
back {it} go{es}
will not buy again
buyer beware
look elsewhere
lesson learned
avoid, avoid, avoid
won't be ordering from {brand} again
do yourself a favour and skip {this} one
into the return pile {it} go{es}
requested a refund today
not buying {brand} again
spend your money elsewhere
learned my lesson with {brand}
returned the same day
boxing {obj} up to send back
the return label is already printed
{obj} went back the next day
sending {obj} back
won't be buying this again
hard pass
I'd skip {obj}
don't make my mistake
take my advice and avoid
one and done with {brand}
refund requested
if I could return {obj} twice I would
buy something else
never ordering {this} {noun} again
""",
    "neutral": """
might keep {obj}
still deciding whether to return {obj}
it'll do for now
not sure I'd buy again
okay if you don't expect much
keeping {obj} for now
we'll see how {it} hold{s} up
may update later
would maybe look around first
fine as a stopgap
I'll update this review in a month
hard to say if I'd buy again
I'll give {obj} a few more weeks
might give it another chance
undecided
we'll see
keeping {obj}, with reservations
probably won't rebuy
it'll do
your mileage may vary
worth a look if you're not fussy
on the fence about returning {obj}
""",
}
RATING_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
RATING_CLOSERS = """
{r} {stars}
{r}/5
{r} {stars} from me
{R} {stars}
giving it {r} {stars}
{r} out of 5
{R} {stars}, fair and square
{r} {stars} for now
{r} {stars}, no more, no less
"""
# Contrast joins use the words retail.insights.aspects.split_clauses cuts at, so a span stays one clause.
JOIN_CONTRAST = [", but ", " but ", ", though ", "; however, ", ". However, ", ". That said, ", ", that said, ",
                 "; on the other hand, ", ". On the other hand, ", ", yet ", ", whereas ", ". But ", " - but ",
                 "... but ", ", although "]
JOIN_TO_NEGATIVE = [". Unfortunately, ", ", unfortunately ", ". Sadly, ", ". Only downside: ", ". The only problem: ",
                    ". Only issue is ", ", sadly "]
JOIN_SAME = [", and ", ". Also, ", ", plus ", "; ", " and ", ". On top of that, ", ". Also ", ". And ", " + ",
             ". Oh, and "]
JOIN_SAME_POSITIVE = [". Bonus: ", ". Even better, ", ", and best of all, ", ". What's more, "]
JOIN_SAME_NEGATIVE = [". To make matters worse, ", ". And to top it off, ", ". Worse, ", ". On top of that, ",
                      ", and to make it worse, "]
SUBORDINATE = ["although ", "while ", "even though "]

EMOJI = {"positive": ["😍", "👍", "🙌", "❤️", "😊", "🔥", "💯", "👌", "😁", "🥰"],
         "negative": ["😡", "👎", "😞", "🙄", "😤", "😒", "💀", "🤦", "😩", "😬"],
         "neutral": ["🤷", "😐", "🙂", "🤔", "😕", "😶"]}

FILL = {
    "very": ["", "", "", "really ", "very ", "so ", "super ", "incredibly ", "pretty ", "seriously ", "genuinely ",
             "ridiculously ", "remarkably "],
    "period": ["a week", "two weeks", "three weeks", "a month", "six weeks", "two months", "a couple of months",
               "ten days", "a few weeks", "about a month", "five weeks", "three months"],
    "short": ["two days", "three days", "a week", "the first week", "four days", "a couple of days", "one weekend",
              "five days", "a handful of uses", "three uses"],
    "sarc": ["Fantastic", "Just fantastic", "Brilliant", "Love that for me", "Ten out of ten", "Great job",
             "Just what I wanted", "Wonderful", "Truly impressive", "Couldn't be happier", "Amazing stuff",
             "Really top quality", "Perfect", "Thrilled, obviously", "What a time to be alive", "Bravo",
             "Nailed it", "Outstanding work", "So glad I paid for that", "Five stars for creativity",
             "Really living the dream", "A triumph", "Superb", "Quality at its finest", "Genius design",
             "Exactly as advertised, clearly", "Loving it", "Chef's kiss", "Really impressed", "Great stuff"],
    "person": ["my husband", "my wife", "my daughter", "my son", "my mom", "my dad", "my sister", "my brother",
               "my nephew", "my niece", "my best friend", "my boyfriend", "my girlfriend", "my grandson",
               "my granddaughter", "my partner", "my mother-in-law", "my father", "my mum", "my coworker"],
    "kid": ["my son", "my daughter", "my toddler", "my four-year-old", "my little one", "my eight-year-old",
            "our baby", "my youngest", "my oldest", "my six-year-old", "our little girl", "our little boy"],
    "num": ["two", "three", "four"],
    "nth": ["second", "third", "fourth"],
    "pct": ["15", "20", "25", "30", "40"],
    "sale": ["Prime Day", "early Black Friday", "fall", "Halloween", "weekend", "flash", "end-of-season",
             "October", "holiday"],
    "miles": ["15", "20", "25", "30", "35", "40", "50"],
    "good_span": ["two full days", "a whole week", "three days", "all day and then some", "a full workday",
                  "a week of heavy use", "ten hours straight", "a long weekend", "twenty-plus hours"],
    "bad_span": ["two hours", "half a day", "a morning", "ninety minutes", "four hours", "one workout",
                 "an hour and a half", "three hours"],
    "bought": ["bought", "ordered", "picked up", "got", "grabbed", "purchased", "treated myself to"],
    "when": ["last month", "a few weeks ago", "in September", "at the start of October", "two weeks ago",
             "over the weekend", "a month ago", "earlier this autumn", "back in October", "about six weeks ago",
             "recently", "last week", "in early October", "at the end of September", "on a whim last month"],
    "when_since": ["September", "early October", "the start of the month", "the end of September",
                   "mid-October", "last month", "the autumn sale", "my birthday", "the spring"],
    "size": ["size 9", "size 10", "size 8", "size 7", "size 11", "9.5", "size 38", "size 42"],
}
PETS = {"dog": ["my dog", "our dog", "my lab", "our beagle", "my husky", "our rescue pup", "my terrier",
                "our golden retriever", "my old boy", "our puppy"],
        "cat": ["my cat", "our cat", "my tabby", "our senior cat", "my picky cat", "our kitten", "my rescue cat",
                "our Maine Coon", "my old girl"]}
TYPING_SLIPS = [("definitely", "definately"), ("really", "realy"), ("doesn't", "doesnt"), ("don't", "dont"),
                ("it's", "its"), ("I'm", "im"), ("can't", "cant"), ("received", "recieved"), ("though", "tho"),
                ("because", "bc"), ("comfortable", "comfterble"), ("quality", "qaulity"), ("would", "woud"),
                ("you", "u"), ("with", "wiht"), ("the ", "teh "), ("and", "adn"), ("very", "vary")]


TAGS = {"CLOTHES": "shirt|top|hoodie|sweater|dress|jeans|leggings|chinos|shorts|jacket|coat|parka|fleece|windbreaker",
        "TOPS": "shirt|top|hoodie|sweater|dress|jacket|coat|parka|fleece|windbreaker"}


def _parse_bank(text: str) -> dict:
    """'+ n: text' lines -> {polarity: {form: [templates]}}."""
    bank = {p: defaultdict(list) for p in POLARITY_NAMES}
    for line in text.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        polarity = {"+": "positive", "-": "negative", "=": "neutral"}[line[0]]
        rest = line[1:].strip()
        form = "plain"
        if len(rest) > 2 and rest[1] == ":" and rest[0] in "ncis":
            form = {"n": "negation", "c": "comparison", "i": "implicit", "s": "sarcasm"}[rest[0]]
            rest = rest[2:].strip()
        if rest.startswith("<"):  # "<kw|kw> text": only for product types containing one of the keywords
            tag, text = rest[1:].split(">", 1)
            rest = f"<{TAGS.get(tag, tag)}>{text.strip()}"
        bank[polarity][form].append(rest)
    return bank


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


_GENERIC = {a: _parse_bank(t) for a, t in GENERIC.items()}
_GROUPS = {k: _parse_bank(t) for k, t in GROUPS.items()}
_FAMILY_OF = {t: name for name, f in FAMILIES.items() for t in f["types"]}
_PERF = {name: _parse_bank(f["perf"]) for name, f in FAMILIES.items()}
_BATTERY = {name: _parse_bank(f["battery"]) for name, f in FAMILIES.items() if "battery" in f}
_VERDICTS = {s: _lines(t) for s, t in VERDICTS.items()}
_CLOSERS = {s: _lines(t) for s, t in CLOSERS.items()}
_CONTEXT = _lines(CONTEXT)
_CONTEXT_TRAIT = {k: _lines(t) for k, t in CONTEXT_TRAIT.items()}
_OPENERS = _lines(OPENERS)
_REPEAT = _lines(REPEAT)
_RATING_CLOSERS = _lines(RATING_CLOSERS)
_SLOT = re.compile(r"\{(\w+)\}")
SHARED = ("comfort", "fit", "durability", "ease_of_use", "taste_scent")  # aspects with shared banks
BASE_WEIGHTS = {"value": 0.3, "delivery": 0.1, "customer_service": 0.06}


def applicable_aspects(product_type: str) -> dict[str, float]:
    """Aspect -> how often reviewers of this product type bring it up (0: never)."""
    family = FAMILIES[_FAMILY_OF.get(product_type, "toys_build")]
    weights = dict(BASE_WEIGHTS)
    weights.update(family["w"])
    for aspect in family.get("drop", {}).get(product_type, ()):
        weights.pop(aspect, None)
    return weights


def _templates(family: str, aspect: str, polarity: str) -> dict[str, list[str]]:
    """Form -> templates for one aspect and polarity of a family: its own bank, its shared group's, the generic."""
    f = FAMILIES[family]
    banks = []
    if aspect == "performance":
        banks.append(_PERF[family])
    if aspect == "battery" and family in _BATTERY:
        banks.append(_BATTERY[family])
    if aspect in SHARED and f.get(aspect):
        banks.append(_GROUPS[(aspect, f[aspect])])
    specific: dict[str, list[str]] = defaultdict(list)
    for bank in banks:
        for form, items in bank[polarity].items():
            specific[form].extend(items)
    generic = _GENERIC[aspect][polarity]
    if (aspect == "taste_scent" and f.get("taste_scent")) or (
            aspect == "ease_of_use" and f.get("ease_of_use") in ("clean", "bag", "bottle")) or (
            aspect == "fit" and f.get("fit") in ("space", "device", "ears")):
        generic = {}  # generic lines ("setup took five minutes", "true to size") read wrong for a mug or a desk
    return {"specific": specific, "generic": generic}


NO_COLOUR = {"multicolor", "clear", "stainless steel", "brushed steel", "chrome", "natural"}
ENGAGEMENT = {"view": 1.0, "click": 1.5, "add_to_cart": 2.5, "purchase": 5.0, "review": 5.0, "search": 0.0}
FORMS = {"plain": 0.50, "negation": 0.17, "comparison": 0.11, "implicit": 0.14, "sarcasm": 0.3}
VERBING = {"wear": "wearing", "use": "using", "sit in": "sitting in", "hold": "holding", "play": "playing",
           "drink": "drinking", "eat": "eating"}


def _catalog(products) -> list[dict]:
    """Catalog rows (DataFrame or dicts) -> what the generator needs per product, in product-id order."""
    rows = products.to_dict("records") if isinstance(products, pd.DataFrame) else list(products)
    out = []
    for row in sorted(rows, key=lambda r: str(r["product_id"])):
        attrs = row.get("attributes") if isinstance(row.get("attributes"), dict) else {}
        ptype = str(attrs.get("type") or "")
        if ptype not in TYPES:
            continue
        nouns, plural, unit = TYPES[ptype]
        colour = str(attrs.get("color") or "").strip()
        price = row.get("price")
        out.append({
            "product_id": str(row["product_id"]), "category": str(row.get("category") or ""), "type": ptype,
            "family": _FAMILY_OF[ptype], "brand": str(row.get("brand") or "").strip(),
            "price": float(price) if price is not None and price == price else None,
            "color": "" if colour.lower() in NO_COLOUR else colour,
            "material": str(attrs.get("material") or "").strip(),
            "flavor": str(attrs.get("flavor") or "").strip(), "scent": str(attrs.get("scent") or "").strip(),
            "nouns": nouns.split("|"), "plural": bool(plural), "unit": unit,
            "pet": "cat" if "cat" in ptype else "dog" if ("dog" in ptype or ptype == "chew toy") else "",
            "weights": applicable_aspects(ptype)})
    brands_of_type = defaultdict(set)
    for p in out:
        if p["brand"]:
            brands_of_type[p["type"]].add(p["brand"])
    for p in out:
        p["rivals"] = sorted(brands_of_type[p["type"]] - {p["brand"]})
    return out


def _interactions(events: list[dict]) -> tuple[dict, dict, Counter]:
    """user -> product -> [engagement, last time]; user -> first event time; product -> shopping score."""
    seen: dict = defaultdict(dict)
    first: dict = {}
    score: Counter = Counter()
    for e in events:
        user, t = e.get("user_id"), float(e.get("timestamp", 0.0))
        if not user:
            continue
        first[user] = min(first.get(user, t), t)
        pid = e.get("product_id")
        if pid and e.get("type") in ENGAGEMENT:
            entry = seen[user].setdefault(pid, [0.0, t])
            entry[0] += ENGAGEMENT[e["type"]]
            entry[1] = max(entry[1], t)
            score[pid] += ENGAGEMENT[e["type"]]
    return seen, first, score


def planted_trends(products, events: list[dict]) -> tuple[tuple[str, str], ...]:
    """The three (product_id, aspect) trends: the most-shopped battery-powered electronics item (battery), the
    most-shopped apparel, footwear or outerwear item (fit) and the most-shopped piece of kitchenware or furniture
    (durability)."""
    catalog = _catalog(products)
    _, _, score = _interactions(events)

    def best(ok) -> str:
        candidates = [p for p in catalog if ok(p)]
        return max(candidates, key=lambda p: (score[p["product_id"]], p["product_id"]))["product_id"]

    battery = best(lambda p: p["category"] == "Electronics" and "battery" in p["weights"])
    durable = best(lambda p: p["category"] in ("Home & Kitchen", "Furniture")
                   and FAMILIES[p["family"]].get("durability") in ("kitchen", "furniture")
                   and p["weights"].get("durability", 0) >= 0.8)
    fit = best(lambda p: p["category"] in ("Apparel", "Footwear", "Outerwear") and p["weights"].get("fit", 0) >= 0.8)
    return ((battery, "battery"), (durable, "durability"), (fit, "fit"))


PROPER = ("Christmas", "Halloween", "Black Friday", "Prime Day", "October", "September", "Monday", "Sunday",
          "YouTube", "Bluetooth", "Maine Coon")


def _decap(text: str, proper: tuple[str, ...]) -> str:
    if not text or (len(text) > 1 and text[1].isupper()) or re.match(r"I\b", text) or text.startswith(PROPER):
        return text
    if any(p and text.startswith(p) for p in proper):
        return text
    return text[0].lower() + text[1:]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def sentences_of(text: str) -> list[str]:
    """A review's sentences, normalised (lower case, no edge punctuation) to count repeats."""
    out = []
    for s in re.split(r"(?<=[.!?])\s+", text):
        s = re.sub(r"^[^\w]+|[^\w]+$", "", s.lower())
        if s:
            out.append(s)
    return out


class _Writer:
    """Writes one review's text for a product, a shopper and labels decided beforehand."""

    def __init__(self, r: random.Random, product: dict, traits: dict, rating: int):
        self.r, self.p, self.traits, self.rating = r, product, traits, rating
        self.family = FAMILIES[product["family"]]
        plural = product["plural"]
        self.grammar = {
            "it": "they" if plural else "it", "obj": "them" if plural else "it",
            "its": "their" if plural else "its", "itis": "they're" if plural else "it's",
            "is": "are" if plural else "is", "isnt": "aren't" if plural else "isn't",
            "was": "were" if plural else "was", "wasnt": "weren't" if plural else "wasn't",
            "has": "have" if plural else "has", "hasnt": "haven't" if plural else "hasn't",
            "does": "do" if plural else "does", "doesnt": "don't" if plural else "doesn't",
            "s": "" if plural else "s", "es": "" if plural else "es",
            "this": "these" if plural else "this", "that": "those" if plural else "that",
            "brand": product["brand"], "color": product["color"], "material": product["material"].lower(),
            "flavor": product["flavor"], "scent": product["scent"], "r": str(rating),
            "stars": "star" if rating == 1 else "stars",
            "R": RATING_WORDS[rating].capitalize()}
        self.pet = r.choice(PETS[product["pet"]]) if product["pet"] else ""
        self.kid = r.choice(FILL["kid"])
        self.person = r.choice(FILL["person"])
        self.proper = tuple(x for x in (product["brand"], *product["rivals"], "TV", "GPS", "RC", "HDMI", "USB")
                            if x)

    def has(self, slot: str) -> bool:
        if slot in ("color", "material", "flavor", "scent", "brand"):
            return bool(self.grammar[slot])
        if slot == "rival":
            return bool(self.p["rivals"])
        if slot == "price":
            return self.p["price"] is not None
        if slot in ("body", "device", "room"):
            return bool(self._family_word(slot))
        if slot == "part":
            return bool(self._family_word("parts"))
        if slot == "pet":
            return bool(self.pet)
        return True

    def _family_word(self, slot: str) -> str:
        word = self.family.get(slot) or ""
        return word.get(self.p["type"], word.get("*", "")) if isinstance(word, dict) else word  # per type

    def usable(self, template: str) -> bool:
        if template.startswith("<"):
            tag, template = template[1:].split(">", 1)
            if not any(k in self.p["type"] for k in tag.split("|")):
                return False
        return all(self.has(s) for s in _SLOT.findall(template))

    def value(self, slot: str) -> str:
        r, p, f = self.r, self.p, self.family
        if slot in self.grammar:
            return self.grammar[slot]
        if slot == "noun":
            return r.choice(p["nouns"])
        if slot == "one":
            return p["unit"]
        if slot == "old_one":
            if p["unit"] in ("bag", "box", "bottle", "jar", "tube", "bar"):
                return r.choice(["usual brand", "old brand", "go-to brand", "regular brand"]).join(("my ", ""))
            return r.choice(["my old {one}", "my previous {one}", "my last {one}", "the {one} I had before",
                             "my old {noun}"]).replace("{one}", p["unit"]).replace("{noun}", r.choice(p["nouns"]))
        if slot == "rival":
            return r.choice(p["rivals"])
        if slot == "price":
            price = p["price"]
            return r.choice([f"${price:.2f}", f"${round(price)}", f"{round(price)} bucks", f"${price:.2f}",
                             f"{round(price)} dollars"])
        if slot == "use":
            if self.traits["sporty"] and r.random() < 0.6:
                return r.choice(f["sport"])
            return r.choice(f["uses"])
        if slot == "verbing":
            return f"{VERBING[f['verb']]} {self.grammar['obj']}"
        if slot in ("body", "device", "room"):
            return self._family_word(slot)
        if slot == "part":
            return r.choice(self._family_word("parts"))
        if slot == "pet":
            return self.pet
        if slot == "kid":
            return self.kid
        if slot == "person":
            return self.person
        if slot == "sarc" and r.random() < 0.35:
            return ""
        if slot in FILL:
            return r.choice(FILL[slot])
        raise KeyError(slot)

    def fill(self, template: str) -> str:
        if template.startswith("<"):
            template = template.split(">", 1)[1]
        text = _SLOT.sub(lambda m: self.value(m.group(1)), template)
        return re.sub(r"\s{2,}", " ", text).strip()

    def pick(self, options: list[str]) -> str | None:
        usable = [t for t in options if self.usable(t)]
        if self.traits["style"] == "terse":
            short = [t for t in usable if len(t) <= 45]
            usable = short or usable
        return self.fill(self.r.choice(usable)) if usable else None

    def mention(self, aspect: str, polarity: str) -> tuple[str, str]:
        """One clause about an aspect, and its form (plain, negation, comparison, implicit, sarcasm)."""
        banks = _templates(self.p["family"], aspect, polarity)
        forms, weights = [], []
        for form, w in FORMS.items():
            if any(self.usable(t) for t in banks["specific"].get(form, []) + banks["generic"].get(form, [])):
                forms.append(form)
                weights.append(w)
        form = self.r.choices(forms, weights)[0]
        specific = [t for t in banks["specific"].get(form, []) if self.usable(t)]
        generic = [t for t in banks["generic"].get(form, []) if self.usable(t)]
        pool = specific if specific and (not generic or self.r.random() < 0.6) else generic
        return self.pick(pool), form

    def compose(self, mentions: list[tuple[str, str]], sentiment: str, filler_only: bool = False) -> tuple:
        r, traits = self.r, self.traits
        style = traits["style"]
        # Sentences are lists of parts: (text, mention index or None); terminal punctuation is added at the end.
        clauses = [(*self.mention(a, p), i) for i, (a, p) in enumerate(mentions)]
        forms = [c[1] for c in clauses]
        aspect_sentences: list[list] = []
        join_p = {"terse": 0.25, "normal": 0.4, "verbose": 0.5}[style]

        def joinable(clause: tuple) -> bool:  # one short clause (sarcasm keeps its own sentences)
            return clause[1] != "sarcasm" and not re.search(r"[.!?]", clause[0]) and len(clause[0]) < 90

        i = 0
        while i < len(clauses):
            text, form, idx = clauses[i]
            if i + 1 < len(clauses) and joinable(clauses[i]) and joinable(clauses[i + 1]) and r.random() < join_p:
                text2, _, idx2 = clauses[i + 1]
                p1, p2 = mentions[idx][1], mentions[idx2][1]
                if p1 != p2 and r.random() < 0.1:
                    lead = r.choice(SUBORDINATE)
                    aspect_sentences.append([(lead, None), (_decap(text, self.proper), idx), (", ", None),
                                             (_decap(text2, self.proper), idx2)])
                else:
                    if p1 != p2:
                        joins = JOIN_CONTRAST + (JOIN_TO_NEGATIVE if p2 == "negative" else [])
                    else:
                        joins = JOIN_SAME + (JOIN_SAME_POSITIVE if p1 == "positive" else
                                             JOIN_SAME_NEGATIVE if p1 == "negative" else [])
                    join = r.choice(joins)
                    aspect_sentences.append([(text, idx), (join, None), (_decap(text2, self.proper), idx2)])
                i += 2
            else:
                aspect_sentences.append([(text, idx)])
                i += 1

        before, after = [], []
        n_context = {"terse": int(r.random() < 0.1), "normal": int(r.random() < 0.35),
                     "verbose": 1 + int(r.random() < 0.5) + int(r.random() < 0.2)}[style]
        trait_lines = []
        for trait, key, prob in (("gift", "gift", 0.65), ("sporty", "sport", 0.3), ("parent", "parent", 0.3),
                                 ("price", "price", 0.4)):
            if traits[trait] and r.random() < prob:
                trait_lines.append(self.pick(_CONTEXT_TRAIT[key]))
        context = [c for c in trait_lines if c] + [self.pick(_CONTEXT) for _ in range(n_context)]
        if filler_only:
            context = [self.pick(_REPEAT)] + ([self.pick(_CONTEXT)] if r.random() < 0.3 else [])
        context = [c for c in dict.fromkeys(context) if c]
        for c in context:
            (before if r.random() < 0.7 else after).append([(c, None)])

        verdicts = []
        n_verdicts = 0 if filler_only else (1 + int(style == "verbose" and r.random() < 0.4) if not mentions
                                            else int(r.random() < {"terse": 0.25, "normal": 0.45,
                                                                   "verbose": 0.6}[style]))
        for _ in range(n_verdicts):
            if traits["gift"] and sentiment == "positive" and r.random() < 0.4:
                verdicts.append(self.pick(_CONTEXT_TRAIT["gift_verdict"]))
            else:
                verdicts.append(self.pick(_VERDICTS[sentiment]))
        verdicts = [[(v, None)] for v in dict.fromkeys(verdicts) if v]
        lead_verdicts = verdicts[:1] if verdicts and r.random() < 0.4 else []
        tail_verdicts = verdicts[len(lead_verdicts):]

        closing = []
        if not filler_only and r.random() < {"terse": 0.12, "normal": 0.33, "verbose": 0.5}[style]:
            closing.append([(self.pick(_CLOSERS[sentiment]), None)])
        if r.random() < 0.07:
            closing.append([(self.pick(_RATING_CLOSERS), None)])

        sentences = before + lead_verdicts + aspect_sentences + after + tail_verdicts + closing
        if not sentences:
            sentences = [[(self.pick(_VERDICTS[sentiment]), None)]]
        if r.random() < {"terse": 0.08, "normal": 0.28, "verbose": 0.38}[style]:
            opener = self.pick(_OPENERS)
            first = sentences[0]
            sentences[0] = [(_cap(opener) + " ", None), (_decap(first[0][0], self.proper), first[0][1])] + first[1:]
        return self._finish(sentences, sentiment, mentions), forms

    def _finish(self, sentences: list[list], sentiment: str, mentions: list[tuple[str, str]]) -> tuple:
        r, traits = self.r, self.traits
        sloppy = traits["sloppy"] and r.random() < 0.7
        lower = sloppy and r.random() < 0.6
        # Slips of the keyboard, inside a part so spans still match.
        n_slips = (1 + int(r.random() < 0.4)) if sloppy else int(r.random() < 0.04)
        for _ in range(n_slips):
            s = r.randrange(len(sentences))
            k = r.randrange(len(sentences[s]))
            text, idx = sentences[s][k]
            sentences[s][k] = (self._slip(text), idx)
        pieces, spans = [], {}
        for n, sentence in enumerate(sentences):
            parts = [(_cap(t) if j == 0 else t, idx) for j, (t, idx) in enumerate(sentence)]
            if lower:
                parts = [(t.lower(), idx) for t, idx in parts]
                parts = [(re.sub(r"\bi\b", "i", t), idx) for t, idx in parts]
            last = n == len(sentences) - 1
            body = parts[-1][0].rstrip()
            if body.endswith((".", "!", "?")):
                end = ""
            elif sloppy and (last or r.random() < 0.3) and r.random() < 0.5:
                end = ""
            elif sentiment == "positive" and r.random() < (0.55 if traits["exclaim"] else 0.18):
                end = r.choice(["!", "!", "!!", "!!!"]) if traits["exclaim"] else "!"
            elif sentiment == "negative" and traits["exclaim"] and r.random() < 0.3:
                end = r.choice(["!", "!!"])
            elif r.random() < 0.03:
                end = "..."
            else:
                end = "."
            parts[-1] = (body, parts[-1][1])
            for j, (t, idx) in enumerate(parts):
                if idx is not None:
                    spans[idx] = t + end if j == len(parts) - 1 else t
            sentence_text = "".join(t for t, _ in parts) + end
            if traits["emoji"] and (last or r.random() < 0.15) and r.random() < 0.7:
                sentence_text += " " + r.choice(EMOJI[sentiment])
            pieces.append(sentence_text)
        text = " ".join(pieces)
        aspects = [{"aspect": a, "polarity": p, "span": spans[i].strip()} for i, (a, p) in enumerate(mentions)]
        return text, aspects

    def _slip(self, text: str) -> str:
        r = self.r
        candidates = [(a, b) for a, b in TYPING_SLIPS if a in text]
        if candidates and r.random() < 0.6:
            a, b = r.choice(candidates)
            return text.replace(a, b, 1)
        words = [m for m in re.finditer(r"[a-z]{6,}", text)]
        if not words:
            return text
        m = r.choice(words)
        w = m.group(0)
        k = r.randrange(1, len(w) - 2)
        return text[:m.start()] + w[:k] + w[k + 1] + w[k] + w[k + 2:] + text[m.end():]


def _traits(r: random.Random, categories: set[str], types: set[str]) -> dict:
    sporty_hint = bool(categories & {"Sports & Outdoors"}) or any("running" in t or "hiking" in t for t in types)
    parent_hint = bool(categories & {"Baby", "Toys & Games"})
    u = r.random()
    return {"price": r.random() < 0.22, "gift": r.random() < 0.2,
            "sporty": r.random() < (0.35 if sporty_hint else 0.08),
            "parent": r.random() < (0.45 if parent_hint else 0.1),
            "style": "terse" if u < 0.2 else "verbose" if u > 0.8 else "normal",
            "emoji": r.random() < 0.12, "sloppy": r.random() < 0.1, "exclaim": r.random() < 0.15,
            "leniency": r.gauss(0.0, 0.3), "activity": r.lognormvariate(0.0, 0.8)}


def _mood_for(rating: int, r: random.Random) -> float:
    return {1: -1.7, 2: -1.0, 3: -0.35, 4: 0.4, 5: 1.0}[rating] + r.gauss(0.0, 0.3)


def generate(products, events: list[dict], n: int = N_REVIEWS, seed: int = SEED, forms: bool = False) -> list[dict]:
    """``n`` labelled reviews by the shoppers of ``events`` of the products of ``products`` (DataFrame or dicts),
    sorted by time. The log's ``review`` events come first (up to half of ``n``). ``forms``: keep, per review, the
    forms its aspect clauses took (``_forms``: plain, negation, comparison, implicit, sarcasm) for the summary."""
    r = random.Random(seed)
    rng = np.random.default_rng(seed)
    catalog = _catalog(products)
    by_id = {p["product_id"]: p for p in catalog}
    seen, first_seen, score = _interactions(events)
    users = sorted(u for u in first_seen if seen.get(u))
    rows_of_type, rows_of_cat = defaultdict(list), defaultdict(list)
    for p in catalog:
        rows_of_type[p["type"]].append(p["product_id"])
        rows_of_cat[p["category"]].append(p["product_id"])
    traits = {}
    for u in users:
        cats = {by_id[pid]["category"] for pid in seen[u] if pid in by_id}
        types = {by_id[pid]["type"] for pid in seen[u] if pid in by_id}
        traits[u] = _traits(r, cats, types)

    # Latent quality per product and aspect: a product-wide level plus heavy-tailed aspect deviations.
    quality: dict[str, dict[str, float]] = {}
    brands = sorted({p["brand"] for p in catalog})
    service = dict(zip(brands, rng.normal(-0.1, 0.7, len(brands))))
    for p in catalog:
        level = rng.normal(0.55, 0.35)
        aspects = sorted(p["weights"])
        dev = np.clip(rng.standard_t(3, len(aspects)) * 0.6, -3.0, 3.0)
        quality[p["product_id"]] = {a: float(level + d) for a, d in zip(aspects, dev)}
        quality[p["product_id"]]["delivery"] = float(0.5 + 0.6 * rng.standard_normal())
        quality[p["product_id"]]["customer_service"] = float(service[p["brand"]])
    trends = dict(planted_trends(products, events))
    trend_from = END - TREND_DAYS * DAY
    for pid, aspect in trends.items():
        quality[pid][aspect] = max(quality[pid][aspect], 1.0)

    # Who reviews what, when.
    slots: list[dict] = []
    taken: set[tuple[str, str]] = set()
    logged = sorted((e for e in events if e.get("type") == "review" and e.get("product_id") in by_id
                     and e.get("user_id") in traits), key=lambda e: (e["timestamp"], e["user_id"]))
    for e in logged[: min(len(logged), n // 2)]:
        if (e["user_id"], e["product_id"]) in taken:
            continue
        taken.add((e["user_id"], e["product_id"]))
        slots.append({"user": e["user_id"], "product": e["product_id"], "t": float(int(e["timestamp"])),
                      "rating": int(e["rating"]), "trend": False})
    extra = max(2, round(n / 350))
    for pid, aspect in trends.items():
        # A popular product before the bad batch (reviews spread over the earlier weeks), then the complaints:
        # by shoppers who looked at it first, then by shoppers of its product type, each after their last look.
        kind = by_id[pid]["type"]
        candidates = [u for u in users if (u, pid) not in taken
                      and (pid in seen[u] or kind in {by_id[q]["type"] for q in seen[u] if q in by_id})]
        r.shuffle(candidates)
        candidates.sort(key=lambda u: pid not in seen[u])
        for window, (t_lo, t_hi) in enumerate(((trend_from, END - 60), (START + DAY, trend_from - 60))):
            placed = 0
            for u in candidates:
                last = seen[u][pid][1] if pid in seen[u] else 0.0
                if placed == extra or (u, pid) in taken or last >= t_hi - 3600:
                    continue
                taken.add((u, pid))
                slots.append({"user": u, "product": pid, "t": float(int(r.uniform(max(t_lo, last + 60), t_hi))),
                              "rating": None, "trend": window == 0})
                placed += 1
    weights = np.array([traits[u]["activity"] * (1 + 0.3 * len(seen[u])) for u in users])
    weights /= weights.sum()
    popularity = {pid: (1.0 + score[pid]) ** 0.7 for pid in by_id}
    while len(slots) < n:
        u = users[int(rng.choice(len(users), p=weights))]
        mine = sorted(pid for pid in seen[u] if pid in by_id)
        engagement = np.array([seen[u][pid][0] * popularity[pid] for pid in mine])
        if r.random() < 0.75:
            pid = mine[int(rng.choice(len(mine), p=engagement / engagement.sum()))]
            t0 = seen[u][pid][1]
            t = t0 + max(600.0, math.exp(r.gauss(math.log(2 * DAY), 1.0)))
            if t >= END - 60:
                t = t0 + (END - 60 - t0) * r.random() if t0 < END - 60 else t0 + 1
        else:
            anchor = by_id[mine[int(rng.choice(len(mine), p=engagement / engagement.sum()))]]
            pool = rows_of_type[anchor["type"]] if r.random() < 0.6 else rows_of_cat[anchor["category"]]
            pool = [q for q in pool if q not in seen[u]]
            if not pool:
                continue
            w = np.array([popularity[q] ** 1.5 for q in pool])
            pid = pool[int(rng.choice(len(pool), p=w / w.sum()))]
            t = r.uniform(first_seen[u], END - 60)
        if (u, pid) in taken:
            continue
        taken.add((u, pid))
        slots.append({"user": u, "product": pid, "t": float(int(t)), "rating": None, "trend": False})

    # What each review says: aspects, polarities, then the rating that follows from them.
    k_probs = {"terse": [0.2, 0.65, 0.15, 0.0, 0.0], "normal": [0.07, 0.33, 0.35, 0.2, 0.05],
               "verbose": [0.03, 0.12, 0.3, 0.35, 0.2]}
    boost = {"price": {"value": 4.5}, "sporty": {"performance": 1.5, "comfort": 1.2}, "parent": {"durability": 1.4},
             "gift": {"appearance": 1.3}}
    scores = []
    for slot in slots:
        p, tr = by_id[slot["product"]], traits[slot["user"]]
        q = dict(quality[p["product_id"]])
        trend_aspect = trends.get(p["product_id"])
        late = trend_aspect and slot["t"] >= trend_from
        if late:
            q[trend_aspect] = -1.8
        mood = (_mood_for(slot["rating"], r) if slot["rating"] else r.gauss(0.0, 0.85) + tr["leniency"])
        k = r.choices(range(5), k_probs[tr["style"]])[0]
        aspects = sorted(p["weights"])
        w = []
        for a in aspects:
            x = p["weights"][a] * (0.5 + abs(q[a] - 0.6)) ** 1.3
            for trait, factors in boost.items():
                if tr[trait]:
                    x *= factors.get(a, 1.0)
            w.append(x)
        chosen: list[str] = []
        if late and (slot["trend"] or r.random() < 0.6) and r.random() < 0.92:
            chosen.append(trend_aspect)
            k = max(k, 1)
        while len(chosen) < min(k, len(aspects)):
            options = [(a, x) for a, x in zip(aspects, w) if a not in chosen]
            chosen.append(r.choices([a for a, _ in options], [x for _, x in options])[0])
        r.shuffle(chosen)
        mentions, z = [], []
        for a in chosen:
            zz = q[a] + mood + r.gauss(0.0, 0.55)
            z.append(zz)
            mentions.append((a, "positive" if zz > 0.15 else "negative" if zz < -0.55 else "neutral"))
        if slot["rating"] and mentions:  # logged ratings: the text must not contradict them
            pols = [m[1] for m in mentions]
            if slot["rating"] >= 4 and "positive" not in pols:
                j = int(np.argmax(z))
                mentions[j] = (mentions[j][0], "positive")
            if slot["rating"] <= 2 and "negative" not in pols:
                j = int(np.argmin(z))
                mentions[j] = (mentions[j][0], "negative")
        values = [{"positive": 1.0, "neutral": 0.0, "negative": -1.0}[m[1]] for m in mentions]
        s = (np.mean(values) + 0.45 * mood + r.gauss(0.0, 0.35)) if values else (0.9 * mood + r.gauss(0.2, 0.4))
        slot.update(mentions=mentions, mood=mood)
        scores.append(s)

    # Ratings: rank the generated reviews' scores into the marketplace shares (logged ratings count towards them).
    fresh = [i for i, slot in enumerate(slots) if not slot["rating"]]
    logged_counts = Counter(slot["rating"] for slot in slots if slot["rating"])
    want = {k: max(0, round(share * len(slots)) - logged_counts[k]) for k, share in RATING_SHARES.items()}
    order = sorted(fresh, key=lambda i: scores[i])
    bounds, acc = [], 0
    total = sum(want.values()) or 1
    for k in (1, 2, 3, 4):
        acc += want[k] * len(fresh) / total
        bounds.append(acc)
    for rank, i in enumerate(order):
        rating = 1 + sum(rank >= b for b in bounds)
        pols = [m[1] for m in slots[i]["mentions"]]
        if pols and all(p_ == "negative" for p_ in pols):
            rating = min(rating, 3 if len(pols) == 1 else 2)
        if pols and all(p_ == "positive" for p_ in pols):
            rating = max(rating, 3 if len(pols) == 1 else 4)
        slots[i]["rating"] = int(min(5, max(1, rating)))

    # Text.
    reviews = []
    cap = max(3, int(0.008 * n))
    sentence_count: Counter = Counter()
    texts: set[str] = set()
    for slot in slots:
        p, tr, rating = by_id[slot["product"]], traits[slot["user"]], slot["rating"]
        mentions = slot["mentions"]
        npos = sum(m[1] == "positive" for m in mentions)
        nneg = sum(m[1] == "negative" for m in mentions)
        if rating >= 4:  # balanced mixed reviews read neutral
            sentiment = "neutral" if rating == 4 and nneg and (nneg > npos or (
                nneg == npos and r.random() < 0.5)) else "positive"
        elif rating == 3:
            sentiment = ("negative" if nneg >= 2 and not npos else "positive" if npos >= 2 and not nneg else "neutral")
        else:
            sentiment = "neutral" if rating == 2 and npos and (npos > nneg or (
                npos == nneg and r.random() < 0.5)) else "negative"
        filler_only = not mentions and rating >= 4 and r.random() < 0.3
        for _ in range(40):  # a stock sentence in at most 0.8% of reviews, no two texts alike
            writer = _Writer(r, p, tr, rating)
            (text, aspects), forms = writer.compose(mentions, sentiment, filler_only)
            sents = sentences_of(text)
            if text not in texts and all(sentence_count[s] < cap for s in sents):
                break
        texts.add(text)
        sentence_count.update(set(sents))
        reviews.append({"user_id": slot["user"], "product_id": slot["product"], "rating": rating,
                        "timestamp": slot["t"], "text": text, "sentiment": sentiment, "aspects": aspects,
                        "_forms": forms})
    reviews.sort(key=lambda x: (x["timestamp"], x["user_id"], x["product_id"]))
    return [{"review_id": f"R{i + 1:06d}", **(rev if forms else _public(rev))} for i, rev in enumerate(reviews)]


def _public(review: dict) -> dict:
    return {k: v for k, v in review.items() if not k.startswith("_")}


def read_events(path=DEMO_EVENTS) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_catalog(path=DEMO_CATALOG) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write(reviews: list[dict], path=DEMO_REVIEWS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same reviews give the same bytes, so the shipped file only changes when the generator does.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        for review in reviews:
            f.write((json.dumps(_public(review), ensure_ascii=False, separators=(",", ":")) + "\n").encode())


def summary(reviews: list[dict], trends=TRENDS) -> str:
    lines = [f"{len(reviews)} reviews by {len({r['user_id'] for r in reviews})} shoppers of "
             f"{len({r['product_id'] for r in reviews})} products"]
    ratings = Counter(r["rating"] for r in reviews)
    lines.append("rating:    " + "  ".join(f"{k}: {ratings[k]} ({ratings[k] / len(reviews):.0%})" for k in
                                           (5, 4, 3, 2, 1)))
    sentiments = Counter(r["sentiment"] for r in reviews)
    lines.append("sentiment: " + "  ".join(f"{s}: {sentiments[s]}" for s in SENTIMENTS))
    pairs = Counter((a["aspect"], a["polarity"]) for r in reviews for a in r["aspects"])
    lines.append(f"{'aspect':<17}{'positive':>9}{'negative':>9}{'neutral':>9}")
    for a in ASPECTS:
        lines.append(f"{a:<17}" + "".join(f"{pairs[(a, p)]:>9}" for p in POLARITY_NAMES))
    n = len(reviews)
    no_aspect = sum(not r["aspects"] for r in reviews)
    mixed = sum({"positive", "negative"} <= {a["polarity"] for a in r["aspects"]} for r in reviews)
    shares = [f"no aspect {no_aspect / n:.1%}", f"mixed polarity {mixed / n:.1%}"]
    if reviews and "_forms" in reviews[0]:
        for form in ("negation", "comparison", "implicit", "sarcasm"):
            shares.append(f"{form} {sum(form in r['_forms'] for r in reviews) / n:.1%}")
    lines.append("shares:    " + ", ".join(shares))
    texts = [r["text"] for r in reviews]
    sentence_reviews = Counter(s for t in texts for s in set(sentences_of(t)))
    top, top_n = sentence_reviews.most_common(1)[0]
    lines.append(f"text:      {len(set(texts)) / n:.1%} distinct, most repeated sentence in {top_n} reviews "
                 f"({top_n / n:.2%}): {top!r}")
    week_start = END - TREND_DAYS * DAY
    for pid, aspect in trends:
        weeks = Counter(int((r["timestamp"] - START) // (7 * DAY)) for r in reviews if r["product_id"] == pid
                        for a in r["aspects"] if a["aspect"] == aspect and a["polarity"] == "negative")
        total = sum(r["product_id"] == pid for r in reviews)
        recent = sum(r["product_id"] == pid and r["timestamp"] >= week_start for r in reviews)
        lines.append(f"trend:     {pid} {aspect}: {total} reviews ({recent} in the last {TREND_DAYS} days), "
                     f"negative {aspect} mentions by week: {[weeks[w] for w in range(8)]}")
    return "\n".join(lines)


def main() -> None:
    catalog, events = read_catalog(), read_events()
    trends = planted_trends(catalog, events)
    reviews = generate(catalog, events, forms=True)
    write(reviews)
    print(f"-> {DEMO_REVIEWS}")
    print(summary(reviews, trends))
    if trends != TRENDS:
        print(f"note: planted trends are {trends}; update TRENDS")


if __name__ == "__main__":
    main()
