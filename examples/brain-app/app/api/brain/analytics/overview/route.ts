import { NextRequest, NextResponse } from 'next/server'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

const ALLOWED_PERIODS = ['7d', '30d', '90d', '12m']

export async function GET(request: NextRequest) {
  try {
    const searchParams = request.nextUrl.searchParams
    const requested = searchParams.get('period') || '30d'
    const period = ALLOWED_PERIODS.includes(requested) ? requested : '30d'

    const response = await fetch(`${BRAIN_API_URL}/api/analytics/overview/?period=${period}`, {
      headers: {
        'Content-Type': 'application/json',
      },
      cache: 'no-store',
    })

    if (!response.ok) {
      return NextResponse.json(
        { error: 'Failed to fetch analytics overview' },
        { status: response.status }
      )
    }

    const data = await response.json()
    return NextResponse.json(data)
  } catch (error) {
    console.error('Error fetching analytics overview:', error)
    return NextResponse.json(
      { error: 'Failed to fetch analytics overview' },
      { status: 500 }
    )
  }
}
