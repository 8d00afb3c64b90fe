/**
 * ISO 3166 country of each public AWS region. EC2 names availability zones but not their country,
 * and the console shows a flag per location. Unknown (new) regions give null.
 */
const REGION_COUNTRY: Readonly<Record<string, string>> = {
  'us-east-1': 'US',
  'us-east-2': 'US',
  'us-west-1': 'US',
  'us-west-2': 'US',
  'us-gov-east-1': 'US',
  'us-gov-west-1': 'US',
  'ca-central-1': 'CA',
  'ca-west-1': 'CA',
  'mx-central-1': 'MX',
  'sa-east-1': 'BR',
  'eu-west-1': 'IE',
  'eu-west-2': 'GB',
  'eu-west-3': 'FR',
  'eu-central-1': 'DE',
  'eu-central-2': 'CH',
  'eu-north-1': 'SE',
  'eu-south-1': 'IT',
  'eu-south-2': 'ES',
  'il-central-1': 'IL',
  'me-south-1': 'BH',
  'me-central-1': 'AE',
  'af-south-1': 'ZA',
  'ap-south-1': 'IN',
  'ap-south-2': 'IN',
  'ap-east-1': 'HK',
  'ap-east-2': 'TW',
  'ap-northeast-1': 'JP',
  'ap-northeast-2': 'KR',
  'ap-northeast-3': 'JP',
  'ap-southeast-1': 'SG',
  'ap-southeast-2': 'AU',
  'ap-southeast-3': 'ID',
  'ap-southeast-4': 'AU',
  'ap-southeast-5': 'MY',
  'ap-southeast-6': 'NZ',
  'ap-southeast-7': 'TH',
  'cn-north-1': 'CN',
  'cn-northwest-1': 'CN',
};

export function regionCountry(region: string | undefined): string | null {
  return (region !== undefined && REGION_COUNTRY[region]) || null;
}
