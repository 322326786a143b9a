// Each scenario's title and claim in Hindi-English, keyed by the scenario's name. A test keeps
// this table complete: every scenario baton can run has an entry.
export const HI_SCENARIOS: Record<string, { title: string; claim: string }> = {
  'instance-id': {
    title: 'Instance ID generation',
    claim: 'हर deployment को अपना instance ID मिलता है, 16 characters का, हर call पर वही।',
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
    claim: 'Send announce करने के ठीक बाद holder को lease से ज़्यादा देर freeze (SIGSTOP) किया जाता है; standby takeover करता है; पुराना holder जागने पर जो भी करे, वो receiver तक दूसरी आवाज़ बनकर नहीं पहुँचता।',
  },
  'pause-within-deadline': {
    title: 'Holder renew deadline से ज़्यादा रुका, पर lease से कम',
    claim: 'Holder को दो sends के बीच renew deadline से ज़्यादा पर lease से कम देर freeze किया जाता है; जागने पर उसे नया renew होने से पहले कुछ नहीं करना चाहिए, भले ही अभी किसी और ने lease न ली हो।',
  },
  'delayed-write': {
    title: 'Delayed write: मरे हुए holder का message देर से पहुँचता है',
    claim: 'Holder की अगली delivery network में रोकी जाती है और holder kill होता है; standby takeover करके आगे भेजता है; फिर रुकी हुई delivery पहुँचती है। Fencing receiver उसे refuse करता है, और कुछ और गड़बड़ नहीं होती।',
  },
  'delayed-store-write': {
    title: 'Holder का धीमा और देर से पहुँचा store traffic',
    claim: 'पहले holder के store round trips renew deadline से ज़्यादा समय लेते हैं (तो कोई renew उसकी गारंटी नहीं दे सकता), फिर उसका store traffic lease से ज़्यादा देर रोका जाता है और तब पहुँचता है जब अगला holder एक message भेजते हुए मर चुका है; पुराना holder कभी ऐसी lease पर काम न करे जिसकी गारंटी वो नहीं दे सकता, और उसकी देर से पहुँची writes से कोई fence दो बार न बँटे।',
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
    claim: 'Store की हर write lease से ज़्यादा देर रुकती है (reads जवाब देते रहते हैं, तो standbys lease को expire होते देखते हैं), फिर store अटक-अटक कर चलता है; वापस आने पर ठीक एक deployment के पास lease है और कुछ भी दो बार नहीं भेजा गया।',
  },
  'stalled-renew': {
    title: 'अटके store में फँसा renew दो takeovers के बाद पहुँचता है',
    claim: 'Idle holder का renew अटके store में फँसा है और holder freeze है; standby takeover करता है, फिर एक delivery के बीच में मर जाता है; तब जाकर पुराना renew store तक पहुँचता है। उससे कुछ नहीं बदलना चाहिए: सबसे ज़रूरी, अगले holder को पहले से बँटा हुआ fence नहीं मिलना चाहिए।',
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
    claim: 'Send announce करने के ठीक बाद holder kill होता है (message claim करने और deliver करने के बीच), और अगला holder delivery का जवाब आते ही kill होता है (deliver करने और record करने के बीच); फिर भी हर message पहुँचता है, और हर in-doubt message ज़्यादा से ज़्यादा एक बार और।',
  },
  soak: {
    title: 'Soak: faults का seeded random schedule',
    claim: 'पूरे fault phase में crashes, restarts, pauses, network faults और store stalls का random (seeded, दोबारा चलाने लायक) schedule random deployments पर पड़ता है; heal phase के बाद भी हर check सही रहता है।',
  },
  demo: {
    title: 'Failover demo',
    claim: 'एक deployment ACTIVE है और भेजती है, बाकी standby हैं; active के साथ कुछ भी किया जाए, दूसरी takeover करती है, और कोई message न lost होता है न दो बार असर करता है।',
  },
};
