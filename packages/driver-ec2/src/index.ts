export { ec2Plugin } from './ec2-plugin.js';
export { Ec2Driver, IDEMPOTENCY_TAG, clientToken } from './ec2-driver.js';
export { createEc2Client, translateEc2Error, type Ec2Credentials, type Ec2Settings } from './ec2-client.js';
export { EC2_STATE_MAP, mapAvailabilityZone, mapImage, mapInstance, mapInstanceState, mapInstanceType } from './ec2-mapper.js';
export { ensureKeyPair, keyFingerprints, keyPairName, parseOpenSshPublicKey } from './ec2-key-pairs.js';
export { createElbBalancers, createElbClient, elbName, mapElbState, mapTargetState } from './elb-balancers.js';
