// Each scenario's title and claim in Hindi-English, keyed by the scenario's name. A test keeps
// this table complete: every scenario baton can run has an entry.
export const HI_SCENARIOS: Record<string, { title: string; claim: string }> = {
  'instance-id': {
    title: 'Instance ID generation',
    claim: 'हर deployment को अपना instance ID मिलता है, 16 characters का, हर call पर वही — तब भी जब containers की तरह हर deployment एक ही नाम वाले host पर PID 1 हो; और कोई दो deployments एक ही ID से काम नहीं करतीं।',
  },
  'lock-exclusion': {
    title: 'Distributed locking',
    claim: 'एक instance lock लेता है; दूसरे को DENIED मिलता है; holder heartbeat भेजता है; साफ़ release पर lock तुरंत आगे जाता है।',
  },
  partitioning: {
    title: 'Parallel instance coordination',
    claim: 'दो instances messages बाँटते हैं (एक even, एक odd), कोई duplicate नहीं; बीच में एक तीसरा जुड़ता है और एक निकलता है, फिर भी न duplicate न gap।',
  },
  'expiry-takeover': {
    title: 'Lock expiry और recovery',
    claim: '5-second lease वाला holder renew करना बंद कर देता है (killed); 7 seconds बाद lock किसी दूसरे instance के पास ऊँचे fence के साथ है।',
  },
  'normal-operation': {
    title: 'Scenario 1: normal operation',
    claim: 'कई deployments के साथ (seed में 4), एक ACTIVE है और हर message क्रम से भेजता है; बाकी सब STANDBY रहते हैं।',
  },
  failover: {
    title: 'Scenario 2: primary fail होता है',
    claim: 'Automation के बीच active deployment kill होती है; standby अपनी सीमा के अंदर takeover करता है; कोई message lost नहीं, कोई दो बार deliver नहीं।',
  },
  'any-deployment-control': {
    title: 'Scenario 3: किसी भी deployment से control',
    claim: 'Standby पर दिया गया STOP सीमा के अंदर active को रोकता है; हर deployment एक ही state दिखाती है; START वहीं से शुरू करता है जहाँ रुका था।',
  },
  'stale-holder-pause': {
    title: 'पुराना holder: lease से ज़्यादा देर रुका (paused)',
    claim: 'Holder को उसके loop के तीन पलों पर lease से ज़्यादा देर freeze (SIGSTOP) किया जाता है: send announce करने के ठीक बाद, जब उसकी delivery receiver तक पहुँच गई पर जवाब नहीं लौटा, और दो ticks के बीच renew के ठीक बाद; हर बार standby takeover करता है, और पुराना holder जागने पर जो भी करे, वो न receiver तक दूसरी आवाज़ बनकर पहुँचता है न काम को पीछे ले जाता है।',
  },
  'pause-within-deadline': {
    title: 'Holder renew deadline से ज़्यादा रुका, पर lease से कम',
    claim: 'Holder को दो sends के बीच renew deadline से ज़्यादा पर lease से कम देर freeze किया जाता है (और जहाँ घड़ी बदली जा सकती है, इस बीच उसकी wall clock पीछे की जाती है); जागने पर उसे नया renew होने से पहले कुछ नहीं करना चाहिए, भले ही अभी किसी और ने lease न ली हो।',
  },
  'delayed-write': {
    title: 'Delayed write: मरे हुए holder का message देर से पहुँचता है',
    claim: 'Holder की अगली delivery network में रोकी जाती है और holder kill होता है; standby takeover करके आगे भेजता है; फिर रुकी हुई delivery पहुँचती है। Fencing receiver उसे refuse करता है, और कुछ और गड़बड़ नहीं होती।',
  },
  'delayed-store-write': {
    title: 'Holder का धीमा और देर से पहुँचा store traffic',
    claim: 'पहले holder के store round trips renew deadline से ज़्यादा समय लेते हैं (तो कोई renew उसकी गारंटी नहीं दे सकता); फिर एक delivery का जवाब आते ही उसका store traffic (उसे दर्ज करने वाला checkpoint और उसके पीछे के renews) lease से ज़्यादा देर रोका जाता है, और तब पहुँचता है जब अगला holder एक message भेजते हुए मर चुका है; पुराना holder कभी ऐसी lease पर काम न करे जिसकी गारंटी वो नहीं दे सकता, और उसकी देर से पहुँची writes से न कोई fence दो बार बँटे न काम पीछे जाए।',
  },
  'clock-skew': {
    title: 'Clock skew: deployments की घड़ियों में 10 minute का फ़र्क',
    claim: 'Holder की घड़ी 10 minute आगे और एक standby की 10 minute पीछे चलती है (और जहाँ घड़ी बदली जा सकती है, वहाँ एक और standby run के बीच 20 minute आगे कूदता है); holder crash होने पर भी standby एक lease के अंदर takeover करता है। Store-clock design के लिए बेअसर, client-clock design के लिए घातक।',
  },
  'store-partition': {
    title: 'Holder lease से ज़्यादा देर store से कटा, फिर जुड़ा',
    claim: 'Holder और store के बीच हर packet lease से ज़्यादा देर drop होता है; holder अपनी renew deadline के अंदर काम रोक देता है, standby takeover करता है, और network ठीक होने पर पुराना holder standby बनकर लौटता है। फिर store नए holder के connections काटता है, और काम चलता रहता है।',
  },
  'standby-partition': {
    title: 'Store से कटा standby lease नहीं चुराए',
    claim: 'एक standby lease से ज़्यादा देर store खो देता है और लौटता है; वो healthy holder से lease नहीं छीने, और automation बिना रुकावट चलता रहे।',
  },
  'store-stall': {
    title: 'Store अटकता है: reads जवाब देते हैं, writes रुकती हैं',
    claim: 'Store की हर write lease से ज़्यादा देर रुकती है (reads जवाब देते रहते हैं, तो standbys lease को expire होते देखते हैं; जहाँ घड़ी बदली जा सकती है, stall शुरू होते ही holder की wall clock पीछे की जाती है), फिर store अटक-अटक कर चलता है; वापस आने पर ठीक एक deployment के पास lease है और कुछ भी दो बार नहीं भेजा गया।',
  },
  'stalled-renew': {
    title: 'अटके store में फँसा checkpoint और renew takeover के बाद पहुँचते हैं',
    claim: 'दो बार holder की एक write अटके store में फँसती है (और जहाँ store network से जुड़ा है, रास्ते में रोकी जाती है) जबकि holder lease से ज़्यादा देर freeze है: पहले एक delivery को दर्ज करने वाला checkpoint, फिर (automation रुकने पर) idle holder का renew; हर बार फँसी write के store तक पहुँचने से पहले standby takeover करता है (दूसरी बार वो एक delivery के बीच में मर जाता है)। देर से पहुँची write से कुछ नहीं बदलना चाहिए: न कोई fence दो बार बँटे, न काम पीछे जाए।',
  },
  'thundering-herd': {
    title: 'Thundering herd: हर standby एक साथ expired lease पर जागता है',
    claim: 'Standbys freeze हैं, holder crash होता है, और lease expire होने के बाद हर standby एक ही पल में जागकर उसके लिए दौड़ता है; ठीक एक जीतता है, और कुछ भी दो बार नहीं भेजा जाता।',
  },
  'graceful-handoff': {
    title: 'Graceful handoff: holder को रुकने को कहा गया (SIGTERM)',
    claim: 'Run के बीच holder को SIGTERM मिलता है: वो अपना चल रहा message पूरा करता है, release करता है, और standby एक retry period के अंदर takeover करता है; न कुछ lost, न कुछ दो बार।',
  },
  'membership-churn': {
    title: 'Partitions के चलते हुए membership बदलती है',
    claim: 'चार partitions के साथ, messages चलते हुए deployments जुड़ती हैं, आराम से निकलती हैं और crash होती हैं; partitions उनके बीच घूमते हैं फिर भी कोई message न lost होता है, न दो बार जाता है, न दो deployments एक साथ भेजती हैं।',
  },
  'crash-mid-send': {
    title: 'Send के बीच में crash',
    claim: 'Holder send के तीन पलों पर kill होता है: announce करने के ठीक बाद (claim हुआ, deliver नहीं); जिस पल उसकी delivery receiver तक पहुँची (deliver हुआ, पर जवाब या record नहीं); और जब उसके जवाब आने बंद हो गए (एक second से ज़्यादा replies खो गए, जैसे retry करने वाला client देखे)। फिर भी हर message पहुँचता है, और हर in-doubt message ज़्यादा से ज़्यादा एक बार और।',
  },
  'holder-clock-back': {
    title: 'Freeze हुए holder की घड़ी पीछे की जाती है',
    claim: 'दो बार holder को sends के बीच freeze किया जाता है और इस बीच उसकी wall clock pause से ज़्यादा पीछे की जाती है (NTP तेज़ घड़ी ठीक करे, या VM snapshot से लौटे): पहले renew deadline से ज़्यादा पर lease से कम, तो जागने पर किसी ने takeover नहीं किया; फिर lease से ज़्यादा, तो standby कर चुका है। हर बार उसे नए renew से पहले कुछ नहीं करना चाहिए: wall clock पर गिनी deadline कहेगी कि लगभग कोई समय नहीं बीता।',
  },
  'holder-clock-slow-store': {
    title: 'Store धीमा, फिर अटका, और holder की घड़ी पीछे',
    claim: 'दो बार holder renew नहीं कर पाता और परेशानी शुरू होते ही उसकी wall clock कुछ leases पीछे की जाती है: पहले उसके store round trips renew deadline से ज़्यादा समय लेते हैं, फिर store की writes lease से ज़्यादा देर रुकती हैं। हर बार उसे अपनी renew deadline के अंदर, ऐसी घड़ी पर गिनकर जिसे कोई बदल नहीं सकता, काम रोकना चाहिए, जबकि standby takeover करता है।',
  },
  'holder-clock-forward': {
    title: 'Holder की घड़ी आगे कूदती है, फिर crash',
    claim: 'Holder की घड़ी 20 minute आगे कूदती है (उसकी wall clock, या seed के हिसाब से wall और monotonic दोनों, जैसे VM resume के बाद); वो काम करता रहता है या हट जाता है, और जब उस समय का holder crash होता है, standby एक lease के अंदर takeover करता है: holder की अपनी घड़ी से लिखी expiry lease को 20 minute तक रोक रखती।',
  },
  'skewed-standby': {
    title: '20 minute आगे चलती घड़ी वाली deployment जुड़ती है',
    claim: 'Automation चलते हुए एक deployment जुड़ती है जिसकी wall clock 20 minute आगे है (जिस host का time sync fail हुआ); holder के renew करते रहने तक वो lease न ले, और जब उस समय का holder crash हो, standby एक lease के अंदर takeover करे। अपनी घड़ी पर expiry परखने वाली deployment को हर live lease 20 minute पुरानी दिखती है, और उसकी लिखी lease 20 minute चलती है।',
  },
  'slow-receiver': {
    title: 'धीमा receiver, फिर delivery लागू करके connection तोड़ने वाला',
    claim: 'कुछ seconds receiver holder को 1.5–3 s बाद ही जवाब देता है (धीमा API), फिर एक second holder की हर delivery लागू करके बिना जवाब दिए connection reset कर देता है; फिर भी हर message का असर एक ही बार, और message दोबारा सिर्फ़ ऐसे retry के रूप में जाता है जिसे worker ख़ुद बताता है: worker से छुपकर retry करने वाला client एक send के दो असर बना देता है।',
  },
  'container-failover': {
    title: 'Containers की तरह deployments: हर एक एक ही नाम वाले host पर PID 1',
    claim: 'हर deployment अपने PID और UTS namespace में चलती है, जैसे एक image की replicas: हर एक "app" नाम के host पर PID 1 है। एक ACTIVE है, बाकी standby; active crash होता है और standby takeover करता है, न कोई message lost, न किसी का असर दो बार, और कोई दो deployments एक instance ID से काम नहीं करतीं।',
  },
  soak: {
    title: 'Soak: faults का seeded random schedule',
    claim: 'पूरे fault phase में crashes, restarts, pauses, network faults और store stalls का random (seeded, दोबारा चलाने लायक) schedule random deployments पर पड़ता है; heal phase के बाद भी हर check सही रहता है।',
  },
  schedule: {
    title: 'एक fault schedule',
    claim: 'इस schedule (file से, या baton explore का बनाया) के हर step के बाद, और heal phase के बाद भी, हर invariant सही रहता है: न कोई message lost, न किसी का असर दो बार, holders कभी interleave नहीं करते, हर heal के बाद काम फिर चलता है।',
  },
  demo: {
    title: 'Failover demo',
    claim: 'एक deployment ACTIVE है और भेजती है, बाकी standby हैं; active के साथ कुछ भी किया जाए, दूसरी takeover करती है, और कोई message न lost होता है न दो बार असर करता है।',
  },
};
